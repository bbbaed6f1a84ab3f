package dev.dxreactor.hbtp.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Command lines put together from a command, a server's address and further arguments. */
final class Args {

    private Args() {
    }

    static String[] of(String command, String[] address, String... rest) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(Arrays.asList(address));
        args.addAll(Arrays.asList(rest));
        return args.toArray(String[]::new);
    }
}
