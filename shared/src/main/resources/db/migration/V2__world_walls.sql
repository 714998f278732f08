-- Impassable tiles of an instance's world (RT-04: moves into walls are rejected).
CREATE TABLE world_walls (
    instance_id VARCHAR(64) NOT NULL REFERENCES instances (id) ON DELETE CASCADE,
    x           INTEGER NOT NULL CHECK (x >= 0),
    y           INTEGER NOT NULL CHECK (y >= 0),
    PRIMARY KEY (instance_id, x, y)
);
