package dev.dxreactor.transport.iocp.channel;

import dev.dxreactor.transport.iocp.WindowsException;
import dev.dxreactor.transport.iocp.WindowsKernel;
import dev.dxreactor.transport.iocp.WsaProtocolInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether a loop group's sockets skip the completion port on success, and why. {@code AUTO} asks
 * {@code WSAEnumProtocols}: Microsoft documents the mode as compatible only with providers that return IFS
 * handles, so one non-IFS entry, or a catalog that cannot be read, turns it off.
 */
record SkipDecision(boolean on, String reason) {

    static SkipDecision decide(IocpConfig.SkipCompletionPort mode, WindowsKernel kernel) {
        return switch (mode) {
            case ON -> new SkipDecision(true, "forced on by configuration");
            case OFF -> new SkipDecision(false, "turned off by configuration");
            case AUTO -> fromCatalog(kernel);
        };
    }

    private static SkipDecision fromCatalog(WindowsKernel kernel) {
        List<WsaProtocolInfo> providers;
        try {
            providers = kernel.enumProtocols();
        } catch (WindowsException | RuntimeException e) {
            return new SkipDecision(false, "WSAEnumProtocols failed (" + e.getMessage() + ")");
        }
        if (providers.isEmpty()) {
            return new SkipDecision(false, "WSAEnumProtocols listed no provider");
        }
        List<String> nonIfs = new ArrayList<>();
        for (WsaProtocolInfo p : providers) {
            if (!p.isIfs()) {
                nonIfs.add("'" + p.name() + "' (catalog entry " + p.catalogEntryId() + ")");
            }
        }
        if (!nonIfs.isEmpty()) {
            return new SkipDecision(false, "not every Winsock provider is IFS: " + String.join(", ", nonIfs));
        }
        return new SkipDecision(true, "every one of the " + providers.size() + " Winsock providers is IFS");
    }

    @Override
    public String toString() {
        return (on ? "on: " : "off: ") + reason;
    }
}
