package dev.coffer.server.fuzz;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServiceDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Every RPC of every {@code coffer.v1} service, read from the generated {@code *Grpc} classes
 * found on the class path (not from a hand-kept list), so an RPC added to a proto file is
 * fuzzed, or fails {@code RpcFuzzTest}'s coverage check, without anyone remembering it.
 */
final class RpcCatalog {

  static final String API_PACKAGE = "dev.coffer.api.v1";

  /** One RPC: its descriptor and the prototype of its request message. */
  record Rpc(MethodDescriptor<?, ?> method, Message requestPrototype) {
    String name() {
      return method.getFullMethodName();
    }

    boolean serverStreaming() {
      return method.getType() == MethodDescriptor.MethodType.SERVER_STREAMING;
    }
  }

  private RpcCatalog() {}

  /** All RPCs, sorted by full method name. */
  static List<Rpc> all() {
    List<Rpc> rpcs = new ArrayList<>();
    for (String className : grpcClasses()) {
      ServiceDescriptor service = serviceDescriptor(className);
      if (!service.getName().startsWith("coffer.v1.")) {
        continue;
      }
      for (MethodDescriptor<?, ?> m : service.getMethods()) {
        if (!(m.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<?> p)
            || !(p.getMessagePrototype() instanceof Message prototype)) {
          throw new IllegalStateException("no request prototype for " + m.getFullMethodName());
        }
        rpcs.add(new Rpc(m, prototype));
      }
    }
    rpcs.sort(Comparator.comparing(Rpc::name));
    return List.copyOf(rpcs);
  }

  private static ServiceDescriptor serviceDescriptor(String className) {
    try {
      return (ServiceDescriptor) Class.forName(className).getMethod("getServiceDescriptor")
          .invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read " + className, e);
    }
  }

  /** Names of the top-level {@code *Grpc} classes of the API package, in a directory or jar. */
  private static TreeSet<String> grpcClasses() {
    String dir = API_PACKAGE.replace('.', '/');
    TreeSet<String> names = new TreeSet<>();
    try {
      Enumeration<URL> roots = RpcCatalog.class.getClassLoader().getResources(dir);
      while (roots.hasMoreElements()) {
        URL url = roots.nextElement();
        if (url.getProtocol().equals("file")) {
          try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            files.map(f -> f.getFileName().toString()).forEach(f -> add(names, f));
          }
        } else if (url.getProtocol().equals("jar")) {
          JarURLConnection c = (JarURLConnection) url.openConnection();
          c.setUseCaches(false);
          try (JarFile jar = c.getJarFile()) {
            jar.stream().map(e -> e.getName()).filter(n -> n.startsWith(dir + "/"))
                .map(n -> n.substring(dir.length() + 1)).forEach(f -> add(names, f));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return names;
  }

  private static void add(TreeSet<String> names, String fileName) {
    if (fileName.endsWith("Grpc.class") && !fileName.contains("$")) {
      names.add(API_PACKAGE + "." + fileName.substring(0, fileName.length() - ".class".length()));
    }
  }
}
