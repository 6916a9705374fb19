package dev.coffer.server.service;

import java.util.ArrayList;
import java.util.List;

/** A test watcher: subscribes to a bus and, after a flush, takes what its queue holds. */
final class LifecycleWatcher implements AutoCloseable {

  final LifecycleSubscription subscription;
  private final LifecycleEvents bus;

  LifecycleWatcher(LifecycleEvents bus, CallContext who, LifecycleWatch watch) {
    this.bus = bus;
    this.subscription = bus.subscribe(who.caller(), watch, () -> { });
  }

  /** Every notice delivered since the last take, in delivery order. */
  List<LifecycleNotice> take() {
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
