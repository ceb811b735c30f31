// default_device_exit_batch (net/core/dev.c): when a namespace dies, each virtual device is
// deleted through its rtnl_link_ops->dellink, so a veth's peer in another namespace goes too.
import { brDevDelete, isBridge } from "../drivers/bridge/br_device.js";
import { isVeth, vethDellink } from "../drivers/veth.js";
import type { Net } from "../net_namespace.js";
import { devicesByIndex, unregisterNetdevice } from "./dev.js";

export function defaultDeviceExit(net: Net): void {
  for (const dev of devicesByIndex(net).reverse()) {
    if (dev === net.loopbackDev || !dev.registered) continue;
    if (isVeth(dev)) vethDellink(dev);
    else if (isBridge(dev)) brDevDelete(dev);
    else unregisterNetdevice(dev);
  }
}
