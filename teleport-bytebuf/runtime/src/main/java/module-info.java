/**
 * Teleport: messages whose wire format is their memory layout, read through generated flyweight views
 * without a copy or a parse. See {@link dev.dxreactor.teleport.Teleportable}.
 */
module dev.dxreactor.teleport {
    requires transitive io.netty.buffer;
    requires transitive io.netty.common;
    requires static dev.dxreactor.hbtp;

    exports dev.dxreactor.teleport;
}
