package dev.guise.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * microsocks as a SOCKS5 proxy on 127.0.0.1 (RFC 1928), with RFC 1929 username/password
 * authentication when credentials are given. It resolves names itself, so it serves socks5h too.
 */
public final class SocksProxy extends ProxyProcess {
  private SocksProxy() throws IOException {
    super("microsocks");
  }

  /** A microsocks without authentication. */
  public static SocksProxy start() throws IOException, InterruptedException {
    return start(null, null);
  }

  /** A microsocks asking for {@code user}/{@code password} (none when null). */
  public static SocksProxy start(String user, String password)
      throws IOException, InterruptedException {
    return start(user, password, null);
  }

  /**
   * A microsocks asking for {@code user}/{@code password} (none when null) whose connections to
   * targets leave from {@code exit} (a loopback address such as 127.0.0.2; null for the system's
   * choice): its exit IP, as the site sees it.
   */
  public static SocksProxy start(String user, String password, String exit)
      throws IOException, InterruptedException {
    SocksProxy socks = new SocksProxy();
    try {
      List<String> command =
          new ArrayList<>(List.of("microsocks", "-i", "127.0.0.1", "-p", "" + socks.port));
      if (user != null) {
        command.addAll(List.of("-u", user, "-P", password));
      }
      if (exit != null) {
        command.addAll(List.of("-b", exit));
      }
      socks.start(command, "microsocks", "microsocks");
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      socks.close();
      throw e;
    }
    return socks;
  }
}
