package io.tilemud.realtime;

import java.util.Optional;
import java.util.function.BiPredicate;

/** Movement rules (RT-04): one tile per move, inside the map, never into a wall. Pure. */
public final class MoveRules {
    private MoveRules() {
    }

    /**
     * @param isWall whether the tile (x, y) is impassable
     * @return why the move is not allowed, or empty when it is
     */
    public static Optional<String> violation(int x, int y, Intent.Move move, int width, int height,
                                             BiPredicate<Integer, Integer> isWall) {
        // Not Math.abs: abs(Integer.MIN_VALUE) is negative and would pass.
        if (move.dx() < -1 || move.dx() > 1 || move.dy() < -1 || move.dy() > 1 || (move.dx() == 0 && move.dy() == 0)) {
            return Optional.of("a move is one tile: dx and dy in -1..1, not both 0");
        }
        int nx = x + move.dx();
        int ny = y + move.dy();
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) {
            return Optional.of("(" + nx + "," + ny + ") is off the map");
        }
        if (isWall.test(nx, ny)) {
            return Optional.of("(" + nx + "," + ny + ") is a wall");
        }
        return Optional.empty();
    }
}
