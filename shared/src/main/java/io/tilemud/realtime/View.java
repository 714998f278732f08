package io.tilemud.realtime;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.tilemud.connection.ConnectionRecord;
import io.tilemud.connection.ConnectionRegistry;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    /** {@code byCharacter}: the members by character, so a move looks up the few rows in view, not every member. */
    private record Members(List<ConnectionRecord> records, Positions.Ids ids,
                           Map<UUID, List<ConnectionRecord>> byCharacter) {
        static Members of(List<ConnectionRecord> records) {
            // A character has one session, but during a reconnect its old socket may still be registered beside the
            // new one: both hear the delta, as both would have before.
            Map<UUID, List<ConnectionRecord>> byCharacter = records.stream()
                    .collect(Collectors.groupingBy(c -> UUID.fromString(c.characterId())));
            return new Members(records, Positions.Ids.of(records.stream().map(ConnectionRecord::characterId).toList()),
                    byCharacter);
        }
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
        List<ConnectionRecord> records = all.records();
        if (records.isEmpty() || records.size() == 1 && records.getFirst().connectionId().equals(exceptConnectionId)) {
            return List.of();
        }
        int r = settings.viewRadiusTiles();
        // Only the square around (x, y) comes back from PostgreSQL: ~6 rows at the benchmark's density instead of the
        // instance's 100 members (their mapping was most of this method's CPU). The ids asked for are all members'
        // (the mover's own row comes back too, and is dropped below with the mover), so one literal serves every move.
        // Each row is then matched to its connections by character, so a move's work grows with who is in view, not
        // with the instance's membership.
        // The box is the radius (Chebyshev distance), so every row is in view.
        List<Seen> seen = new ArrayList<>();
        for (Positions.Position them : positions.within(all.ids(), x - r, x + r, y - r, y + r)) {
            int distance = distance(x, y, them.x(), them.y());
            for (ConnectionRecord c : all.byCharacter().getOrDefault(them.characterId(), List.of())) {
                if (!c.connectionId().equals(exceptConnectionId)) {
                    seen.add(new Seen(c, them, distance));
                }
            }
        }
        seen.sort(Comparator.comparingInt(Seen::distance));
        return seen;
    }

    private Members membersOf(String instanceId) {
        List<ConnectionRecord> current = registry.findByInstance(instanceId);
        Members known = members.getIfPresent(instanceId);
        if (known != null && known.records() == current) {
            return known;
        }
        Members fresh = Members.of(current);
        members.put(instanceId, fresh);
        return fresh;
    }

    /** Chebyshev distance: a tile grid where diagonal steps count as one. */
    private static int distance(int x1, int y1, int x2, int y2) {
        return Math.max(Math.abs(x1 - x2), Math.abs(y1 - y2));
    }
}
