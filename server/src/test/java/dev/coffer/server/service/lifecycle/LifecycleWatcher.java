package dev.coffer.server.service.lifecycle;

import dev.coffer.server.service.kernel.CallContext;
import java.util.ArrayList;
import java.util.List;

/** A test watcher: subscribes to a bus and, after a flush, takes what its queue holds. */
public final class LifecycleWatcher implements AutoCloseable {

  final LifecycleSubscription subscription;
  private final LifecycleEvents bus;

  public LifecycleWatcher(LifecycleEvents bus, CallContext who, LifecycleWatch watch) {
    this.bus = bus;
    this.subscription = bus.subscribe(who.caller(), watch, () -> { });
  }

  /** Every notice delivered since the last take, in delivery order. */
  public List<LifecycleNotice> take() {
    bus.flush();
    List<LifecycleNotice> got = new ArrayList<>();
    for (LifecycleNotice n = subscription.poll(); n != null; n = subscription.poll()) {
      got.add(n);
    }
    return got;
  }

  @Override
  public void close() {
    subscription.close();
  }
}
