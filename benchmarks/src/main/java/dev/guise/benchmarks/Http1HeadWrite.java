package dev.guise.benchmarks;

import dev.guise.api.Header;
import dev.guise.codec.http1.Http1FieldLines;
import dev.guise.codec.http1.Http1RequestWriter;
import dev.guise.pool.internal.exchange.RequestTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Guise alone, no peer (so not one of {@code benchmarks/run}'s groups; run it with JMH's main): an
 * HTTP/1.1 request head as an {@code Http1Connection} makes it for Chrome's profile, the header
 * list from the template and the head written, with the profile's field lines encoded once and
 * copied ({@code copied}) or every line encoded as it is written ({@code encoded}, as before the
 * twentieth session).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class Http1HeadWrite {
  @Param({"encoded", "copied"})
  public String lines;

  private RequestTemplate template;
  private Http1FieldLines known;
  private final Http1RequestWriter writer = new Http1RequestWriter();
  private final OutputStream out = OutputStream.nullOutputStream();

  @Setup
  public void setUp() {
    template = RequestTemplate.forName("chrome");
    known = lines.equals("copied") ? template.http1Lines() : Http1FieldLines.NONE;
  }

  @Benchmark
  public List<Header> head() throws IOException {
    List<Header> headers = template.http1Headers("www.example.com", List.of());
    writer.writeHead(out, "GET", "/catalog/items?page=2", headers, known);
    return headers;
  }
}
