package dev.guise.testkit;

import com.fasterxml.jackson.jr.ob.JSON;
import dev.guise.api.Header;
import dev.guise.api.HttpProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP/2 requests a browser sent to the {@link CaptureSite} page, field by field, as JSON: what
 * {@code guise capture --requests FILE} writes beside the profile, so a test can compare a Guise
 * request with the browser's value by value and HPACK representation by representation (the profile
 * file keeps only each kind's header names). A list, in the order the server read them per
 * connection, of objects with {@code connection} (0-based, in accept order), {@code stream_id},
 * {@code method}, {@code path}, {@code headers_frame} (the HEADERS frame's flags and priority
 * block, as {@link Http2FrameRecord#detail()}) and {@code fields} ({@code name}, {@code value},
 * {@code hpack}: {@link RequestRecord#hpack()}'s notation). Every value is as sent, cookies and
 * authorization included: it is a capture of a test page, made on purpose.
 */
public final class CaptureRequests {
  private CaptureRequests() {}

  /** The page connections' HTTP/2 requests as indented JSON. */
  public static String json(List<ConnectionRecord> page) {
    List<Object> out = new ArrayList<>();
    for (int c = 0; c < page.size(); c++) {
      ConnectionRecord connection = page.get(c);
      for (RequestRecord r : connection.requests()) {
        if (r.protocol() != HttpProtocol.HTTP_2) {
          continue;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("connection", c);
        m.put("stream_id", r.streamId());
        m.put("method", pseudo(r, ":method"));
        m.put("path", pseudo(r, ":path"));
        for (Http2FrameRecord f : connection.http2Frames()) {
          if (f.type() == 1 && f.streamId() == r.streamId()) {
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("flags", f.flags());
            frame.put("detail", f.detail());
            m.put("headers_frame", frame);
            break;
          }
        }
        List<Object> fields = new ArrayList<>();
        for (int i = 0; i < r.headers().size(); i++) {
          Header h = r.headers().get(i);
          Map<String, Object> field = new LinkedHashMap<>();
          field.put("name", h.name());
          field.put("value", h.value());
          field.put("hpack", i < r.hpack().size() ? r.hpack().get(i) : "");
          fields.add(field);
        }
        m.put("fields", fields);
        out.add(m);
      }
    }
    try {
      return JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).asString(out) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pseudo(RequestRecord r, String name) {
    for (Header h : r.headers()) {
      if (h.name().equals(name)) {
        return h.value();
      }
    }
    return "";
  }
}
