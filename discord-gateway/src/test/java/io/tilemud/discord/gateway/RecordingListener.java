package io.tilemud.discord.gateway;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps everything the client told the relay, in order. */
class RecordingListener implements GatewayListener {
    final List<GatewayDispatch> dispatches = new CopyOnWriteArrayList<>();
    final List<GatewayState> states = new CopyOnWriteArrayList<>();
    final List<String> fatalCloses = new CopyOnWriteArrayList<>();
    final List<Integer> exhausted = new CopyOnWriteArrayList<>();

    @Override
    public void onDispatch(GatewayDispatch dispatch) {
        dispatches.add(dispatch);
    }

    @Override
    public void onStateChange(GatewayState state) {
        states.add(state);
    }

    @Override
    public void onFatalClose(int closeCode, String reason) {
        fatalCloses.add(closeCode + ":" + reason);
    }

    @Override
    public void onReconnectsExhausted(int attempts) {
        exhausted.add(attempts);
    }

    List<String> types() {
        return dispatches.stream().map(GatewayDispatch::type).toList();
    }

    List<Long> sequences() {
        return dispatches.stream().map(GatewayDispatch::seq).toList();
    }

    long count(String type) {
        return dispatches.stream().filter(d -> d.type().equals(type)).count();
    }
}
