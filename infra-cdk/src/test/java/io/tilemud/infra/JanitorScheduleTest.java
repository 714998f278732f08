package io.tilemud.infra;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static io.tilemud.infra.TemplateIndex.properties;
import static io.tilemud.infra.TemplateIndex.single;
import static org.junit.jupiter.api.Assertions.assertEquals;

class JanitorScheduleTest {
    private final TemplateIndex stack = SynthesizedStack.defaults();

    @Test
    void schedule_everyMinute_invokesTheJanitorAlias() {
        // GIVEN the stack's only EventBridge rule
        var rule = properties(single(new HashSet<>(stack.ofType("AWS::Events::Rule").values())));

        // WHEN reading its schedule and target
        // THEN it fires every minute at the janitor's alias, without retries that would overlap the next tick
        assertEquals("rate(1 minute)", rule.get("ScheduleExpression"));
        assertEquals(FunctionId.JANITOR, stack.invokedFunction(rule.get("Targets")));
        assertEquals(Map.of("MaximumEventAgeInSeconds", 60, "MaximumRetryAttempts", 0),
                ((Map<?, ?>) ((List<?>) rule.get("Targets")).getFirst()).get("RetryPolicy"));
    }
}
