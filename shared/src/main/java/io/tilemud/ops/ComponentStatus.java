package io.tilemud.ops;

public enum ComponentStatus {
    UP, DOWN
}
