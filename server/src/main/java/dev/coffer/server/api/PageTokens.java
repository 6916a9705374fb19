package dev.coffer.server.api;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.coffer.server.crypto.PageTokenCipher;
import dev.coffer.server.domain.CofferException;
import dev.coffer.server.domain.Principal;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one codec of every listing's page tokens, applied as a server interceptor to each
 * unary method whose request has a {@code page_token} and whose response has a
 * {@code next_page_token} (every List RPC, including ones added later, without per-RPC
 * code). Below this layer a page token is a plain cursor (the last key a page read); what
 * a client sees is that cursor sealed with the vault's {@code page-token} AEAD keyset.
 *
 * <p>Security property: the associated data of every token is its <em>binding</em> — the
 * full method name, the caller's tenant and principal, and the request with
 * {@code page_token} and {@code page_size} cleared (so every filter, present or future,
 * and any tenant named in the request). A token is accepted only by the same method, for
 * the same caller, with the same filters; page size may change between pages. A token
 * from another listing, caller or tenant, or one altered or cut, is refused with
 * INVALID_ARGUMENT {@code page_token} (one message for every cause) before any handler
 * runs, and changes nothing. A token is ciphertext, so it never shows an object id.
 */
public final class PageTokens implements ServerInterceptor {

  /** Longer tokens are refused before decoding; a sealed cursor is a few hundred bytes. */
  static final int MAX_TOKEN_CHARS = 4096;
  private static final String PAGE_TOKEN = "page_token";
  private static final String PAGE_SIZE = "page_size";
  private static final String NEXT_PAGE_TOKEN = "next_page_token";
  private static final byte[] DOMAIN = "coffer/page-token/v1".getBytes(StandardCharsets.UTF_8);

  private final PageTokenCipher cipher;
  /** Whether each method is paged, decided once per method rather than on every call. */
  private final Map<String, Boolean> pagedMethods = new ConcurrentHashMap<>();

  public PageTokens(PageTokenCipher cipher) {
    this.cipher = cipher;
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    MethodDescriptor<Q, A> method = call.getMethodDescriptor();
    if (!pagedMethods.computeIfAbsent(method.getFullMethodName(), name -> paged(method))) {
      return next.startCall(call, headers);
    }
    SealingCall<Q, A> sealing = new SealingCall<>(call);
    return new SimpleForwardingServerCallListener<>(next.startCall(sealing, headers)) {
      private boolean rejected;

      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        Message request = (Message) message;
        Q opened;
        try {
          byte[] binding = binding(method.getFullMethodName(), AuthContext.PRINCIPAL.get(),
              request);
          sealing.binding = binding;
          opened = (Q) withPageToken(request, open(pageToken(request), binding));
        } catch (RuntimeException e) {
          rejected = true;
          StatusRuntimeException status = ErrorMapper.toStatus(e);
          call.close(status.getStatus(), status.getTrailers());
          return;
        }
        super.onMessage(opened);
      }

      @Override
      public void onHalfClose() {
        if (!rejected) {
          super.onHalfClose();
        }
      }
    };
  }

  /** The cursor inside {@code token} if it was sealed with {@code binding}; "" for "". */
  String open(String token, byte[] binding) {
    if (token.isEmpty()) {
      return "";
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw refused();
    }
    byte[] sealed;
    try {
      sealed = Base64.getUrlDecoder().decode(token);
    } catch (IllegalArgumentException e) {
      throw refused();
    }
    return cipher.open(sealed, binding).map(c -> new String(c, StandardCharsets.UTF_8))
        .orElseThrow(PageTokens::refused);
  }

  /** {@code cursor} sealed with {@code binding}; "" (the last page) stays "". */
  String seal(String cursor, byte[] binding) {
    if (cursor.isEmpty()) {
      return "";
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(
        cipher.seal(cursor.getBytes(StandardCharsets.UTF_8), binding));
  }

  /**
   * What a token of this call is bound to: method, caller, and the request without its
   * paging fields, each length-prefixed so no two different inputs encode alike.
   */
  static byte[] binding(String fullMethodName, Principal caller, Message request) {
    Message.Builder filters = request.toBuilder();
    Descriptor d = request.getDescriptorForType();
    filters.clearField(d.findFieldByName(PAGE_TOKEN));
    FieldDescriptor size = d.findFieldByName(PAGE_SIZE);
    if (size != null) {
      filters.clearField(size);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      chunk(out, DOMAIN);
      chunk(out, fullMethodName.getBytes(StandardCharsets.UTF_8));
      chunk(out, (caller == null ? "" : caller.tenantId()).getBytes(StandardCharsets.UTF_8));
      chunk(out, (caller == null ? "" : caller.principalId()).getBytes(StandardCharsets.UTF_8));
      chunk(out, deterministic(filters.build()));
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void chunk(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  private static byte[] deterministic(Message m) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.useDeterministicSerialization();
    m.writeTo(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static CofferException refused() {
    return CofferException.invalid(PAGE_TOKEN, "is not a token that this listing returned to "
        + "you with these filters; repeat the same request, or start again without it");
  }

  private static boolean paged(MethodDescriptor<?, ?> method) {
    if (method.getType() != MethodDescriptor.MethodType.UNARY) {
      return false;
    }
    return prototype(method.getRequestMarshaller()).map(m -> stringField(m, PAGE_TOKEN))
        .orElse(false)
        && prototype(method.getResponseMarshaller()).map(m -> stringField(m, NEXT_PAGE_TOKEN))
            .orElse(false);
  }

  private static Optional<Message> prototype(MethodDescriptor.Marshaller<?> marshaller) {
    return marshaller instanceof MethodDescriptor.PrototypeMarshaller<?> p
        && p.getMessagePrototype() instanceof Message m ? Optional.of(m) : Optional.empty();
  }

  private static boolean stringField(Message m, String name) {
    FieldDescriptor f = m.getDescriptorForType().findFieldByName(name);
    return f != null && !f.isRepeated() && f.getJavaType() == FieldDescriptor.JavaType.STRING;
  }

  private static String pageToken(Message request) {
    return (String) request.getField(request.getDescriptorForType().findFieldByName(PAGE_TOKEN));
  }

  private static Message withPageToken(Message request, String cursor) {
    return request.toBuilder()
        .setField(request.getDescriptorForType().findFieldByName(PAGE_TOKEN), cursor).build();
  }

  /** Seals the {@code next_page_token} of the response with the request's binding. */
  private final class SealingCall<Q, A> extends SimpleForwardingServerCall<Q, A> {
    private volatile byte[] binding;

    SealingCall(ServerCall<Q, A> call) {
      super(call);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void sendMessage(A message) {
      Message response = (Message) message;
      FieldDescriptor next = response.getDescriptorForType().findFieldByName(NEXT_PAGE_TOKEN);
      String cursor = (String) response.getField(next);
      if (cursor.isEmpty()) {
        super.sendMessage(message);
        return;
      }
      // No binding means no request was seen: fail closed, never send a bare cursor.
      String sealed = binding == null ? "" : seal(cursor, binding);
      super.sendMessage((A) response.toBuilder().setField(next, sealed).build());
    }
  }
}
