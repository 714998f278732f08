package io.tilemud.webclient;

import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;

import java.time.Duration;
import java.util.Map;

import static io.tilemud.webclient.Browsers.el;
import static io.tilemud.webclient.Browsers.waitFor;

/** One player at one browser, driven only through the stable test hooks (data-testid, window.tilemud). */
final class Player {
    static final Duration WAIT = Duration.ofSeconds(15);

    final WebDriver d;
    final String url;

    Player(WebDriver d, String url) {
        this.d = d;
        this.url = url;
    }

    Player open() {
        d.get(url);
        waitFor(d, WAIT, "page loaded", x -> Browsers.js(x, "return !!window.tilemud") == Boolean.TRUE
                || !x.findElements(By.id("boot-error")).isEmpty());
        return this;
    }

    Player login(String name) {
        waitFor(d, WAIT, "login form", x -> el(x, "login-name").isDisplayed());
        el(d, "login-name").sendKeys(name);
        el(d, "login-submit").click();
        waitFor(d, WAIT, "lobby", x -> el(x, "connect").isDisplayed());
        return this;
    }

    Player createCharacter(String name) {
        el(d, "character-name").sendKeys(name);
        el(d, "character-create").click();
        waitFor(d, WAIT, "character " + name + " active", x -> !x.findElements(
                By.cssSelector("[data-testid='character-list'] li.selected")).isEmpty()
                && x.findElement(By.cssSelector("[data-testid='character-list'] li.selected")).getText().startsWith(name));
        return this;
    }

    Player pick(String instanceId) {
        By item = By.cssSelector("[data-testid='instance-list'] li[data-instance-id='" + instanceId + "']");
        waitFor(d, WAIT, "instance " + instanceId + " listed", x -> {
            if (!x.findElements(item).isEmpty()) {
                return true;
            }
            if (x.findElement(By.id("instance-id")).isDisplayed()) {
                // A stack without GET /instances: name the world by hand.
                x.findElement(By.id("instance-id")).sendKeys(instanceId, org.openqa.selenium.Keys.ENTER);
            }
            return false;
        });
        d.findElement(item).click();
        return this;
    }

    Player connect() {
        waitFor(d, WAIT, "connect enabled", x -> el(x, "connect").isEnabled());
        el(d, "connect").click();
        return this;
    }

    Player playing() {
        Browsers.waitStatus(d, "playing", WAIT);
        waitFor(d, WAIT, "map drawn", x -> "true".equals(el(x, "map").getDomAttribute("data-drawn")));
        return this;
    }

    /** Presses a key on the page (not in an input) and waits for its acknowledgement. */
    Player move(Keys key) {
        long before = lastAckedSeq();
        d.findElement(By.tagName("body")).click();
        new Actions(d).sendKeys(key).perform();
        waitFor(d, WAIT, "move acked", x -> lastAckedSeq() > before && unacked() == 0);
        return this;
    }

    String status() {
        return el(d, "connection-status").getText();
    }

    Map<String, Object> state() {
        return Browsers.state(d);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> position() {
        return (Map<String, Object>) state().get("position");
    }

    String characterId() {
        return (String) state().get("characterId");
    }

    long lastAckedSeq() {
        return ((Number) state().get("lastAckedSeq")).longValue();
    }

    long unacked() {
        return ((Number) Browsers.js(d, "return window.tilemud.debug().outbox.length")).longValue();
    }

    String connectionId() {
        return (String) Browsers.js(d, "return window.tilemud.debug().connectionId");
    }
}
