package dev.guise.pool.internal.http.h2;

/** HTTP/2 error codes (RFC 9113 section 7). */
final class ErrorCodes {
  private ErrorCodes() {}

  static final int NO_ERROR = 0x0;
  static final int PROTOCOL_ERROR = 0x1;
  static final int INTERNAL_ERROR = 0x2;
  static final int FLOW_CONTROL_ERROR = 0x3;
  static final int SETTINGS_TIMEOUT = 0x4;
  static final int STREAM_CLOSED = 0x5;
  static final int FRAME_SIZE_ERROR = 0x6;
  static final int REFUSED_STREAM = 0x7;
  static final int CANCEL = 0x8;
  static final int COMPRESSION_ERROR = 0x9;
  static final int CONNECT_ERROR = 0xa;
  static final int ENHANCE_YOUR_CALM = 0xb;
  static final int INADEQUATE_SECURITY = 0xc;
  static final int HTTP_1_1_REQUIRED = 0xd;

  static String name(int code) {
    return switch (code) {
      case NO_ERROR -> "NO_ERROR";
      case PROTOCOL_ERROR -> "PROTOCOL_ERROR";
      case INTERNAL_ERROR -> "INTERNAL_ERROR";
      case FLOW_CONTROL_ERROR -> "FLOW_CONTROL_ERROR";
      case SETTINGS_TIMEOUT -> "SETTINGS_TIMEOUT";
      case STREAM_CLOSED -> "STREAM_CLOSED";
      case FRAME_SIZE_ERROR -> "FRAME_SIZE_ERROR";
      case REFUSED_STREAM -> "REFUSED_STREAM";
      case CANCEL -> "CANCEL";
      case COMPRESSION_ERROR -> "COMPRESSION_ERROR";
      case CONNECT_ERROR -> "CONNECT_ERROR";
      case ENHANCE_YOUR_CALM -> "ENHANCE_YOUR_CALM";
      case INADEQUATE_SECURITY -> "INADEQUATE_SECURITY";
      case HTTP_1_1_REQUIRED -> "HTTP_1_1_REQUIRED";
      default -> "0x" + Integer.toHexString(code);
    };
  }
}
