package io.tilemud.realtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import jakarta.inject.Singleton;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Who sees what (RT-05): connected players of one instance within the view radius of a tile. */
@Singleton
public class View {
    private final ConnectionRegistry registry;
    private final Positions positions;
    private final RealtimeSettings settings;
    /**
     * Each instance's member list as the registry last answered it, with its ids as one {@code uuid[]} literal: the
     * registry hands out the same list object until it changes (a connect, a departure, its TTL), so the literal is
     * built once per list, not once per move.
     */
    private final Cache<String, Members> members = Caffeine.newBuilder().maximumSize(10_000).build();

    private record Members(List<ConnectionRecord> records, Positions.Ids ids) {
    }

    public View(ConnectionRegistry registry, Positions positions, RealtimeSettings settings) {
        this.registry = registry;
        this.positions = positions;
        this.settings = settings;
    }

    /** A connected player and where their character stands. */
    public record Seen(ConnectionRecord connection, Positions.Position position, int distance) {
    }

    /** Connected players of {@code instanceId} within view of {@code (x, y)}, nearest first, except one connection. */
    public List<Seen> around(String instanceId, int x, int y, String exceptConnectionId) {
        Members all = membersOf(instanceId);
        List<ConnectionRecord> others = all.records().stream()
                .filter(c -> !c.connectionId().equals(exceptConnectionId))
                .toList();
        if (others.isEmpty()) {
            return List.of();
        }
        int r = settings.viewRadiusTiles();
        // Only the square around (x, y) comes back from PostgreSQL: ~6 rows at the benchmark's density instead of the
        // instance's 100 members (their mapping was most of this method's CPU). The ids asked for are all members'
        // (the mover's own row comes back too, and is dropped below with the mover), so one literal serves every move.
        Map<String, Positions.Position> near = positions.within(all.ids(), x - r, x + r, y - r, y + r).stream()
                .collect(Collectors.toMap(p -> p.characterId().toString(), Function.identity()));
        return others.stream()
                .filter(c -> near.containsKey(c.characterId()))
                .map(c -> {
                    Positions.Position them = near.get(c.characterId());
                    return new Seen(c, them, distance(x, y, them.x(), them.y()));
                })
                .filter(seen -> seen.distance() <= settings.viewRadiusTiles())
                .sorted(Comparator.comparingInt(Seen::distance))
                .toList();
    }

    private Members membersOf(String instanceId) {
        List<ConnectionRecord> current = registry.findByInstance(instanceId);
        Members known = members.getIfPresent(instanceId);
        if (known != null && known.records() == current) {
            return known;
        }
        Members fresh = new Members(current, Positions.Ids.of(current.stream().map(ConnectionRecord::characterId).toList()));
        members.put(instanceId, fresh);
        return fresh;
    }

    /** Chebyshev distance: a tile grid where diagonal steps count as one. */
    private static int distance(int x1, int y1, int x2, int y2) {
        return Math.max(Math.abs(x1 - x2), Math.abs(y1 - y2));
    }
}
