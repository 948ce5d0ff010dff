package dev.guise.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts the store runs in Redis (the files beside this class): each update of shared
 * state is one script, so it is atomic for the whole fleet and the change notice goes out with it.
 */
final class Scripts {
  static final String STRIKE = load("strike.lua");
  // The scripts that store or lift one ban keep the fleet's index of bans: index.lua goes first.
  static final String PUT = load("index.lua") + load("put.lua");
  static final String PUSH = load("index.lua") + load("push.lua");
  static final String LIFT = load("index.lua") + load("lift.lua");
  static final String LIFT_ALL = load("lift-all.lua");
  static final String ACCESS = load("access.lua");
  static final String TAKE = load("take.lua");

  private Scripts() {}

  private static String load(String name) {
    try (InputStream in = Scripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
