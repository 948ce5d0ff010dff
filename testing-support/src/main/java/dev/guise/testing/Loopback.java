package dev.guise.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Plain sockets on loopback for engine tests: the engines' SPI takes a connected socket. */
public final class Loopback {
  private Loopback() {}

  /** A listening socket on 127.0.0.1, any free port, backlog 1. */
  public static ServerSocket listen() throws IOException {
    return new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
  }

  /** A socket connected to {@code server} within two seconds. */
  public static Socket connect(ServerSocket server) throws IOException {
    return connect((InetSocketAddress) server.getLocalSocketAddress());
  }

  /** A socket connected to {@code address} (a loopback one) within two seconds. */
  public static Socket connect(InetSocketAddress address) throws IOException {
    Socket socket = new Socket();
    socket.connect(address, 2000);
    return socket;
  }
}
