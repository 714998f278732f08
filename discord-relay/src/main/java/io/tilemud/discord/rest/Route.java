package io.tilemud.discord.rest;

import java.util.Objects;

/**
 * One Discord REST endpoint as rate limits see it: method, path template and the value of its major parameter
 * (the channel, guild or webhook id the path starts with). Discord limits each major parameter's requests
 * separately, so two channels never share a bucket even when their routes share a bucket hash.
 *
 * @param template       e.g. {@code /channels/{channel.id}/messages}
 * @param majorParameter e.g. the channel id
 * @param path           the concrete path, e.g. {@code /channels/123/messages}
 */
public record Route(String method, String template, String majorParameter, String path) {
    public Route {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(majorParameter, "majorParameter");
        Objects.requireNonNull(path, "path");
    }

    /** What we know a route by before Discord named its bucket. */
    public String routeKey() {
        return method + " " + template;
    }
}
