package io.tilemud.character;

import io.micronaut.data.exceptions.DataAccessException;
import io.tilemud.session.ActiveCharacterCache;
import io.tilemud.user.UserRepository;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Characters API (ADM-22): create, list own, select the active one. A user only ever sees its own characters. */
@Singleton
public class CharacterService {
    private final CharacterRepository characters;
    private final UserRepository users;
    private final Clock clock;

    private final ActiveCharacterCache activeCharacterCache;

    public CharacterService(CharacterRepository characters, UserRepository users, Clock clock,
                            ActiveCharacterCache activeCharacterCache) {
        this.characters = characters;
        this.users = users;
        this.clock = clock;
        this.activeCharacterCache = activeCharacterCache;
    }

    public CreateCharacterResult create(UUID userId, String requestedName) {
        var problem = CharacterName.problem(requestedName);
        if (problem.isPresent()) {
            return new CreateCharacterResult.InvalidName(problem.get());
        }
        String name = requestedName.strip();
        if (characters.existsByUserIdAndNameIlike(userId, name)) {
            return new CreateCharacterResult.NameTaken(name);
        }
        try {
            return new CreateCharacterResult.Created(characters.save(new PlayerCharacter(UUID.randomUUID(), userId, name,
                    CharacterStatus.ACTIVE, 0, 0, clock.instant())));
        } catch (DataAccessException e) {
            // Two concurrent creates with one name: the unique index decides, the loser gets the same answer.
            if (characters.existsByUserIdAndNameIlike(userId, name)) {
                return new CreateCharacterResult.NameTaken(name);
            }
            throw e;
        }
    }

    public List<PlayerCharacter> list(UUID userId) {
        return characters.findByUserIdOrderByCreatedAt(userId);
    }

    /** @return false when the character does not exist or is not the user's (the caller cannot tell which) */
    public boolean selectActive(UUID userId, UUID characterId) {
        if (characters.findByIdAndUserId(characterId, userId).isEmpty()) {
            return false;
        }
        if (users.updateActiveCharacter(userId, characterId) != 1) {
            return false;
        }
        // ADM-14: the admission script re-checks the selection in Redis, so a change made while an admission is in
        // flight aborts it cleanly.
        activeCharacterCache.selected(userId, characterId);
        return true;
    }
}
