package dev.guise.pool.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * JFR events, so a pool can be watched in JDK Mission Control ({@code -XX:StartFlightRecording}).
 * Recording them costs nothing while no recording is running: each emit checks {@link
 * Event#shouldCommit()} first.
 */
public final class JfrEvents {
  private JfrEvents() {}

  @Name("dev.guise.Handshake")
  @Label("Guise Handshake")
  @Category({"Guise", "Connections"})
  @Description("A pooled connection was opened: TCP, TLS and HTTP set-up")
  public static final class Handshake extends Event {
    @Label("Host")
    public String host;

    @Label("IP")
    public String ip;

    @Label("Profile")
    public String profile;

    @Label("Duration")
    @Timespan(Timespan.NANOSECONDS)
    public long handshakeNanos;

    @Label("Failure")
    public String failure;
  }

  @Name("dev.guise.Request")
  @Label("Guise Request")
  @Category({"Guise", "Requests"})
  @Description("One attempt of a request over a pooled connection")
  public static final class Request extends Event {
    @Label("Host")
    public String host;

    @Label("IP")
    public String ip;

    @Label("Method")
    public String method;

    @Label("Status")
    public int status;

    @Label("Reused Connection")
    public boolean reused;

    @Label("Failure")
    public String failure;
  }

  @Name("dev.guise.Retry")
  @Label("Guise Retry")
  @Category({"Guise", "Requests"})
  @Description("A failed attempt will be retried")
  public static final class Retry extends Event {
    @Label("Host")
    public String host;

    @Label("Attempt")
    public int attempt;

    @Label("Failure")
    public String failure;

    @Label("Delay")
    @Timespan(Timespan.MILLISECONDS)
    public long delayMillis;
  }

  @Name("dev.guise.Ban")
  @Label("Guise IP Ban")
  @Category({"Guise", "IPs"})
  @Description("An IP was banned for a host")
  public static final class Ban extends Event {
    @Label("Host")
    public String host;

    @Label("IP")
    public String ip;

    @Label("Until")
    public String until;

    @Label("Reason")
    public String reason;
  }

  @Name("dev.guise.Eviction")
  @Label("Guise Eviction")
  @Category({"Guise", "Connections"})
  @Description("A pooled connection was closed")
  public static final class Eviction extends Event {
    @Label("Host")
    public String host;

    @Label("IP")
    public String ip;

    @Label("Reason")
    public String reason;
  }
}
