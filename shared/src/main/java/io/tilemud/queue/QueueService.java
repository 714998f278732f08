package io.tilemud.queue;

import io.tilemud.admission.AdmissionSettings;
import io.tilemud.admission.RedisAdmissionLedger;
import io.tilemud.character.CharacterRepository;
import io.tilemud.error.ErrorCode;
import io.tilemud.instance.InstanceId;
import io.tilemud.logging.AdmissionEvent;
import io.tilemud.logging.AdmissionLog;
import io.tilemud.logging.LogKey;
import io.tilemud.session.CacheUnavailableException;
import io.tilemud.user.UserService;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Queue status polls (ADM-15) and leaving the queue. A poll also keeps the entry alive: entries not polled for
 * {@code abandonSeconds} lose their place (ADM-23). Thread-safe.
 */
@Singleton
public class QueueService {
    /** The ETA's rate is measured over at least this long, so one early promotion does not promise seconds. */
    static final long MIN_RATE_WINDOW_MILLIS = 60_000;

    private final RedisAdmissionLedger ledger;
    private final UserService users;
    private final CharacterRepository characters;
    private final QueueSettings settings;
    private final AdmissionSettings admissionSettings;

    public QueueService(RedisAdmissionLedger ledger, UserService users, CharacterRepository characters,
                        QueueSettings settings, AdmissionSettings admissionSettings) {
        this.ledger = ledger;
        this.users = users;
        this.characters = characters;
        this.settings = settings;
        this.admissionSettings = admissionSettings;
    }

    public QueueStatus status(String subject, String instanceId, String characterId) {
        return poll(subject, instanceId, characterId, false);
    }

    /** Leaves the queue; {@link QueueStatus.NotQueued} afterwards either way. */
    public QueueStatus leave(String subject, String instanceId, String characterId) {
        return poll(subject, instanceId, characterId, true);
    }

    private QueueStatus poll(String subject, String instanceId, String characterIdText, boolean leave) {
        if (!InstanceId.isValid(instanceId)) {
            return new QueueStatus.Refused(ErrorCode.INVALID_INSTANCE, null);
        }
        Optional<UUID> characterId = parse(characterIdText);
        if (characterId.isEmpty()) {
            return new QueueStatus.Refused(ErrorCode.NO_ACTIVE_CHARACTER, null);
        }
        UUID userId = users.idOf(subject);
        if (characters.findByIdAndUserId(characterId.get(), userId).isEmpty()) {
            return new QueueStatus.Refused(ErrorCode.NO_ACTIVE_CHARACTER, null);
        }
        List<String> r;
        try {
            r = ledger.status(instanceId, RedisAdmissionLedger.STORED_CAPACITY, characterId.get(), userId, leave);
        } catch (CacheUnavailableException e) {
            return new QueueStatus.Refused(ErrorCode.SERVICE_DEGRADED, (long) admissionSettings.degradedRetryAfterSeconds());
        }
        return switch (r.getFirst()) {
            case "queued" -> {
                long position = Long.parseLong(r.get(1));
                yield new QueueStatus.Waiting(position, Long.parseLong(r.get(2)),
                        estimateSeconds(position, Long.parseLong(r.get(3)), r.get(4)));
            }
            case "success" -> new QueueStatus.Promoted(r.get(1), r.get(2));
            case "left" -> {
                AdmissionLog.event(AdmissionEvent.QUEUE_LEFT).with(LogKey.INSTANCE_ID, instanceId)
                        .with(LogKey.CHARACTER_ID, characterId.get()).log();
                yield new QueueStatus.NotQueued();
            }
            // Not queued — and if the ledger was rebuilt within an abandonment period, the queue this character may
            // have been in is what the cache loss took: say so, so the client queues again instead of giving up.
            default -> leave || !recentlyRebuilt(r.size() > 1 ? r.get(1) : "")
                    ? new QueueStatus.NotQueued()
                    : new QueueStatus.Refused(ErrorCode.QUEUE_RESET, null);
        };
    }

    private boolean recentlyRebuilt(String rebuiltAtMillis) {
        if (rebuiltAtMillis.isEmpty()) {
            return false;
        }
        long since = ledger.nowMillis() - Long.parseLong(rebuiltAtMillis);
        return since >= 0 && since <= settings.abandonSeconds() * 1000L * 2;
    }

    /**
     * Entries ahead (plus this one) divided by the observed promotion rate; before any promotion has been seen,
     * {@code fallbackSecondsPerPosition} per place.
     */
    long estimateSeconds(long position, long promotionsInWindow, String oldestPromotionMillis) {
        if (promotionsInWindow <= 0 || oldestPromotionMillis.isEmpty()) {
            return (position + 1) * settings.fallbackSecondsPerPosition();
        }
        long oldest = (long) Double.parseDouble(oldestPromotionMillis);
        long window = Math.max(MIN_RATE_WINDOW_MILLIS, ledger.nowMillis() - oldest);
        double perSecond = promotionsInWindow * 1000.0 / window;
        return (long) Math.ceil((position + 1) / perSecond);
    }

    private static Optional<UUID> parse(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(UUID.fromString(value.strip()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
