package dev.guise.benchmarks;

import dev.guise.api.Header;
import dev.guise.codec.hpack.HpackDecoder;
import dev.guise.codec.hpack.HpackEncoder;
import dev.guise.fingerprint.BrowserProfiles;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HPACK of Chrome's request header list ({@code BrowserProfiles.get("chrome").defaultHeaders()}
 * after the four pseudo-headers): Guise's codec against Jetty 12's HPACK (the peer whose encoder is
 * public API). {@code first}: a new encoder/decoder per block (empty dynamic table: literals,
 * Huffman); {@code repeat}: the same list again on a primed table (indexed fields), as on a hot
 * connection.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
// Jetty's HpackEncoder and HpackDecoder share their simple names with Guise's, which this class
// imports; Jetty's are written out in full.
@SuppressWarnings("checkstyle:RegexpSinglelineJava")
public class Hpack {
  @Param({"guise", "jetty"})
  public String subject;

  @Param({"first", "repeat"})
  public String block;

  private List<Header> headers;
  private MetaData.Request metaData;
  private HpackEncoder guiseEncoder;
  private HpackDecoder guiseDecoder;
  private byte[] guiseBlock;
  private org.eclipse.jetty.http2.hpack.HpackEncoder jettyEncoder;
  private org.eclipse.jetty.http2.hpack.HpackDecoder jettyDecoder;
  private ByteBuffer jettyBlock;
  private ByteBuffer jettyOut;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    headers =
        new ArrayList<>(
            List.of(
                new Header(":method", "GET"),
                new Header(":authority", "www.example.com"),
                new Header(":scheme", "https"),
                new Header(":path", "/catalog/items?page=2")));
    HttpFields.Mutable fields = HttpFields.build();
    for (Header h : BrowserProfiles.get("chrome").defaultHeaders()) {
      headers.add(new Header(h.name().toLowerCase(Locale.ROOT), h.value()));
      fields.add(h.name().toLowerCase(Locale.ROOT), h.value());
    }
    metaData =
        new MetaData.Request(
            "GET",
            HttpURI.from("https://www.example.com/catalog/items?page=2"),
            HttpVersion.HTTP_2,
            fields.asImmutable());
    jettyOut = ByteBuffer.allocate(16 * 1024);

    // Guise: the first block, then (primed) the repeat block.
    HpackEncoder e = new HpackEncoder();
    byte[] first = e.encode(headers);
    byte[] repeat = e.encode(headers);
    guiseBlock = block.equals("first") ? first : repeat;
    guiseEncoder = e;
    guiseDecoder = new HpackDecoder(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, 256 * 1024);
    guiseDecoder.decode(first);

    var je = newJettyEncoder();
    ByteBuffer b1 = ByteBuffer.allocate(16 * 1024);
    je.encode(b1, metaData);
    b1.flip();
    ByteBuffer b2 = ByteBuffer.allocate(16 * 1024);
    je.encode(b2, metaData);
    b2.flip();
    jettyEncoder = je;
    jettyBlock = block.equals("first") ? b1 : b2;
    jettyDecoder = newJettyDecoder();
    jettyDecoder.decode(b1.duplicate());
  }

  private static org.eclipse.jetty.http2.hpack.HpackEncoder newJettyEncoder() {
    var je = new org.eclipse.jetty.http2.hpack.HpackEncoder();
    je.setMaxTableCapacity(4096);
    je.setTableCapacity(4096);
    return je;
  }

  private static org.eclipse.jetty.http2.hpack.HpackDecoder newJettyDecoder() {
    var d = new org.eclipse.jetty.http2.hpack.HpackDecoder(256 * 1024, System::nanoTime);
    d.setMaxTableCapacity(4096);
    return d;
  }

  @Benchmark
  public Object encode() throws Exception {
    boolean first = block.equals("first");
    if (subject.equals("guise")) {
      return (first ? new HpackEncoder() : guiseEncoder).encode(headers);
    }
    var je = first ? newJettyEncoder() : jettyEncoder;
    jettyOut.clear();
    je.encode(jettyOut, metaData);
    return jettyOut;
  }

  @Benchmark
  public Object decode() throws Exception {
    boolean first = block.equals("first");
    if (subject.equals("guise")) {
      return (first
              ? new HpackDecoder(HpackDecoder.DEFAULT_HEADER_TABLE_SIZE, 256 * 1024)
              : guiseDecoder)
          .decode(guiseBlock);
    }
    return (first ? newJettyDecoder() : jettyDecoder).decode(jettyBlock.duplicate());
  }
}
