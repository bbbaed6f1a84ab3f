/*
 * Runs the conformance scenarios (src/test/resources/conformance/scenarios.txt) against Windows' own
 * ws2_32 and ntdll, under Wine or on Windows, and prints the result table the emulated kernel's test
 * writes: scenario, step, command, observation, tab-separated. Build with MinGW-w64:
 *   x86_64-w64-mingw32-gcc -O1 -o afd_runner.exe afd_runner.c -lws2_32 -lntdll
 * Usage: afd_runner.exe scenarios.txt > wine.tsv
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <mswsock.h>
#include <windows.h>
#include <winternl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IOCTL_AFD_POLL 0x00012024
#ifndef STATUS_PENDING
#define STATUS_PENDING 0x103
#endif

typedef struct { HANDLE Handle; ULONG Events; NTSTATUS Status; } AFD_POLL_HANDLE_INFO;
typedef struct { LARGE_INTEGER Timeout; ULONG NumberOfHandles; ULONG Exclusive; AFD_POLL_HANDLE_INFO Handles[1]; } AFD_POLL_INFO;

NTSTATUS NTAPI NtCancelIoFileEx(HANDLE, PIO_STATUS_BLOCK, PIO_STATUS_BLOCK);

#define MAX_NAMES 16
typedef struct { char name[16]; SOCKET s; int closed; } named_socket;
typedef struct { char name[16]; IO_STATUS_BLOCK iosb; AFD_POLL_INFO info; HANDLE carrier; } named_poll;
typedef struct { char name[16]; OVERLAPPED ov; char buf[256]; char *data; } named_op;

typedef struct { char name[16]; HANDLE h; char path[MAX_PATH]; } named_file;

static named_socket sockets[MAX_NAMES];
static named_file files[MAX_NAMES];
static int nfiles;
static LPFN_TRANSMITFILE transmit_file;
static named_poll *polls[MAX_NAMES];
static named_op *ops[MAX_NAMES];
static int nsockets, npolls, nops;
static HANDLE port, helper;
static LPFN_ACCEPTEX accept_ex;
static LPFN_CONNECTEX connect_ex;
static const char *scenario;

static const char *EVENT_NAMES[] = {"RECEIVE", "RECEIVE_EXPEDITED", "SEND", "DISCONNECT", "ABORT",
                                    "LOCAL_CLOSE", "CONNECT", "ACCEPT", "CONNECT_FAIL"};

static void event_names(ULONG events, char *out) {
    out[0] = 0;
    if (!events) { strcpy(out, "NONE"); return; }
    for (int bit = 0; bit < 9; bit++) {
        if (events & (1u << bit)) {
            if (out[0]) strcat(out, "|");
            strcat(out, EVENT_NAMES[bit]);
        }
    }
    if (events & ~0x1FFu) sprintf(out + strlen(out), "%s0x%lX", out[0] ? "|" : "", events & ~0x1FFu);
}

static ULONG parse_events(const char *names) {
    char copy[256];
    ULONG events = 0;
    strncpy(copy, names, sizeof copy - 1);
    copy[sizeof copy - 1] = 0;
    for (char *t = strtok(copy, "|"); t; t = strtok(NULL, "|"))
        for (int bit = 0; bit < 9; bit++)
            if (!strcmp(t, EVENT_NAMES[bit])) events |= 1u << bit;
    return events;
}

static const char *status_name(NTSTATUS s, char *buf) {
    switch ((ULONG)s) {
    case 0x0: return "STATUS_SUCCESS";
    case 0x102: return "STATUS_TIMEOUT";
    case 0x103: return "STATUS_PENDING";
    case 0xC0000008: return "STATUS_INVALID_HANDLE";
    case 0xC000000D: return "STATUS_INVALID_PARAMETER";
    case 0xC0000120: return "STATUS_CANCELLED";
    case 0xC0000225: return "STATUS_NOT_FOUND";
    case 0xC0000236: return "STATUS_CONNECTION_REFUSED";
    case 0xC000020D: return "STATUS_CONNECTION_RESET";
    case 0xC0000241: return "STATUS_CONNECTION_ABORTED";
    case 0xC000013B: return "STATUS_LOCAL_DISCONNECT";
    case 0xC000013C: return "STATUS_REMOTE_DISCONNECT";
    default: sprintf(buf, "NTSTATUS 0x%08lX", (ULONG)s); return buf;
    }
}

static named_socket *find_socket(const char *name) {
    for (int i = 0; i < nsockets; i++) if (!strcmp(sockets[i].name, name)) return &sockets[i];
    return NULL;
}

static named_socket *add_socket(const char *name, SOCKET s) {
    named_socket *n = find_socket(name);
    if (!n) n = &sockets[nsockets++];
    strcpy(n->name, name);
    n->s = s;
    n->closed = 0;
    return n;
}

static SOCKET new_socket(void) {
    return WSASocketW(AF_INET, SOCK_STREAM, IPPROTO_TCP, NULL, 0, WSA_FLAG_OVERLAPPED | WSA_FLAG_NO_HANDLE_INHERIT);
}

static void nonblocking(SOCKET s) { u_long one = 1; ioctlsocket(s, FIONBIO, &one); }

static struct sockaddr_in loopback(unsigned short port_) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(port_);
    return a;
}

static named_poll *find_poll(const char *name, int create) {
    for (int i = 0; i < npolls; i++) if (!strcmp(polls[i]->name, name)) return polls[i];
    if (!create) return NULL;
    named_poll *p = calloc(1, sizeof *p);
    strcpy(p->name, name);
    polls[npolls++] = p;
    return p;
}

static void poll_result(named_poll *p, char *out) {
    char b1[32], b2[32], ev[128];
    sprintf(out, "status=%s info=%llu", status_name(p->iosb.Status, b1), (unsigned long long)p->iosb.Information);
    if ((ULONG)p->iosb.Status == 0xC0000120) return;
    sprintf(out + strlen(out), " handles=%lu", p->info.NumberOfHandles);
    event_names(p->info.Handles[0].Events, ev);
    if (p->info.NumberOfHandles == 0) { sprintf(out + strlen(out), " stale=%s", ev); return; }
    sprintf(out + strlen(out), " events=%s", ev);
    if (p->info.Handles[0].Status) sprintf(out + strlen(out), " hstatus=%s", status_name(p->info.Handles[0].Status, b2));
}

static void describe(OVERLAPPED_ENTRY *e, char *out) {
    for (int i = 0; i < npolls; i++) {
        if ((void *)e->lpOverlapped == (void *)&polls[i]->iosb) {
            sprintf(out, "%s ", polls[i]->name);
            poll_result(polls[i], out + strlen(out));
            return;
        }
    }
    for (int i = 0; i < nops; i++) {
        if (e->lpOverlapped == &ops[i]->ov) {
            char b[32];
            sprintf(out, "%s status=%s bytes=%llu", ops[i]->name, status_name((NTSTATUS)ops[i]->ov.Internal, b),
                    (unsigned long long)ops[i]->ov.InternalHigh);
            return;
        }
    }
    if (!e->lpOverlapped) { sprintf(out, "post key=%llu bytes=%lu", (unsigned long long)e->lpCompletionKey, e->dwNumberOfBytesTransferred); return; }
    sprintf(out, "unknown %p", (void *)e->lpOverlapped);
}

/* A failed call as the Java runner writes it: "error" and the code's name (its number when unnamed here). */
static const char *error_name(int code, char *buf) {
    switch (code) {
    case 995: return "error ERROR_OPERATION_ABORTED";
    case 1168: return "error ERROR_NOT_FOUND";
    case 10022: return "error WSAEINVAL";
    case 10035: return "error WSAEWOULDBLOCK";
    case 10038: return "error WSAENOTSOCK";
    case 10053: return "error WSAECONNABORTED";
    case 10054: return "error WSAECONNRESET";
    case 10057: return "error WSAENOTCONN";
    case 10058: return "error WSAESHUTDOWN";
    case 6: return "error ERROR_INVALID_HANDLE";
    case 10061: return "error WSAECONNREFUSED";
    default: sprintf(buf, "error %d", code); return buf;
    }
}

static named_op *add_op(const char *name) {
    named_op *op = calloc(1, sizeof *op);
    strcpy(op->name, name);
    ops[nops++] = op;
    return op;
}

static named_op *find_op(const char *name) {
    for (int i = 0; i < nops; i++) if (!strcmp(ops[i]->name, name)) return ops[i];
    return NULL;
}

/* Packets recv-match took while it drove the port, for the next dequeue command to report. */
static char taken[2048];

static void take(void) {
    OVERLAPPED_ENTRY entries[8];
    ULONG removed = 0;
    if (!GetQueuedCompletionStatusEx(port, entries, 8, &removed, 0, FALSE)) return;
    for (ULONG i = 0; i < removed; i++) {
        char one[256];
        describe(&entries[i], one);
        if (taken[0]) strcat(taken, " ; ");
        strcat(taken, one);
    }
}

/* "bytes=N" with N > 0 becomes "bytes>0", in place. */
static void coarse_byte_counts(char *packets) {
    char result[2048], *from = packets, *at;
    result[0] = 0;
    while ((at = strstr(from, "bytes=")) != NULL) {
        char *digits = at + 6, *end = digits;
        while (*end >= '0' && *end <= '9') end++;
        strncat(result, from, (size_t)(at - from));
        strcat(result, end - digits == 1 && *digits == '0' ? "bytes=0" : "bytes>0");
        from = end;
    }
    strcat(result, from);
    strcpy(packets, result);
}

static char file_byte(unsigned long long position) { return (char)('a' + position % 26); }

static named_file *find_file(const char *name) {
    for (int i = 0; i < nfiles; i++) if (!strcmp(files[i].name, name)) return &files[i];
    return NULL;
}

/* A file of n bytes written through a plain handle, then opened for overlapped reads as the scenarios name it. */
static void create_file(const char *name, unsigned long long size, char *out) {
    named_file *f = &files[nfiles++];
    char dir[MAX_PATH], chunk[65536];
    HANDLE w;
    GetTempPathA(sizeof dir, dir);
    GetTempFileNameA(dir, "cf", 0, f->path);
    strcpy(f->name, name);
    w = CreateFileA(f->path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    for (unsigned long long done = 0; done < size;) {
        DWORD n = (DWORD)(size - done < sizeof chunk ? size - done : sizeof chunk), written;
        for (DWORD i = 0; i < n; i++) chunk[i] = file_byte(done + i);
        WriteFile(w, chunk, n, &written, NULL);
        done += n;
    }
    CloseHandle(w);
    f->h = CreateFileA(f->path, GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING, FILE_FLAG_OVERLAPPED, NULL);
    if (f->h == INVALID_HANDLE_VALUE) sprintf(out, "error %lu", GetLastError());
}

/* Receives n bytes (retried for at most 5 s) and compares them with the file's bytes from offset. */
static void receive_and_match(SOCKET s, unsigned long long offset, long long count, char *out) {
    static char buf[65536];
    long long received = 0;
    DWORD deadline = GetTickCount() + 5000;
    while (received < count && (LONG)(GetTickCount() - deadline) < 0) {
        int want = count - received < (long long)sizeof buf ? (int)(count - received) : (int)sizeof buf;
        int r = recv(s, buf, want, 0);
        if (r < 0 && WSAGetLastError() == WSAEWOULDBLOCK) { take(); continue; }
        if (r <= 0) break;
        for (int i = 0; i < r; i++) {
            if (buf[i] != file_byte(offset + received + i)) { sprintf(out, "mismatch at %lld", received + i); return; }
        }
        received += r;
    }
    if (received == count) sprintf(out, "match %lld", count);
    else sprintf(out, "short %lld", received);
}

/* An overlapped call's result as the scenarios write it: done at once, pending, or the Winsock error. */
static void submitted(int done_at_once, char *out) {
    char b[32];
    int error = done_at_once ? 0 : WSAGetLastError();
    if (done_at_once) strcpy(out, "done");
    else if (error == WSA_IO_PENDING) strcpy(out, "pending");
    else strcpy(out, error_name(error, b));
}

static void execute(char **c, int n, char *out) {
    char b[64];
    strcpy(out, "ok");
    if (!strcmp(c[0], "pair")) {
        SOCKET l = new_socket(), a = new_socket(), s;
        struct sockaddr_in addr = loopback(0);
        int len = sizeof addr;
        bind(l, (struct sockaddr *)&addr, sizeof addr);
        listen(l, 8);
        getsockname(l, (struct sockaddr *)&addr, &len);
        if (connect(a, (struct sockaddr *)&addr, sizeof addr)) { strcpy(out, error_name(WSAGetLastError(), b)); return; }
        s = accept(l, NULL, NULL);
        closesocket(l);
        nonblocking(a);
        nonblocking(s);
        add_socket(c[1], a);
        add_socket(c[2], s);
    } else if (!strcmp(c[0], "listener")) {
        SOCKET l = new_socket();
        struct sockaddr_in addr = loopback(0);
        bind(l, (struct sockaddr *)&addr, sizeof addr);
        listen(l, 8);
        nonblocking(l);
        add_socket(c[1], l);
    } else if (!strcmp(c[0], "connect") || !strcmp(c[0], "connect-refused")) {
        SOCKET s = new_socket();
        struct sockaddr_in addr = loopback(0);
        int len = sizeof addr;
        if (!strcmp(c[0], "connect")) {
            getsockname(find_socket(c[2])->s, (struct sockaddr *)&addr, &len);
        } else {
            SOCKET probe = new_socket();
            bind(probe, (struct sockaddr *)&addr, sizeof addr);
            getsockname(probe, (struct sockaddr *)&addr, &len);
            closesocket(probe);
        }
        nonblocking(s);
        connect(s, (struct sockaddr *)&addr, sizeof addr);
        add_socket(c[1], s);
        /* Windows retries a refused loopback SYN for about two seconds; Wine does not. Both end refused. */
        if (!strcmp(c[0], "connect-refused")) {
            fd_set w, e; struct timeval tv = {5, 0};
            FD_ZERO(&w); FD_ZERO(&e); FD_SET(s, &w); FD_SET(s, &e);
            select(0, NULL, &w, &e, &tv);
        }
    } else if (!strcmp(c[0], "send")) {
        char data[4096];
        int count = atoi(c[2]);
        memset(data, 'x', count);
        sprintf(out, "sent %d", send(find_socket(c[1])->s, data, count, 0));
    } else if (!strcmp(c[0], "recv")) {
        char data[4096];
        int r = recv(find_socket(c[1])->s, data, atoi(c[2]), 0);
        if (r < 0 && WSAGetLastError() == WSAEWOULDBLOCK) strcpy(out, "would-block");
        else if (r < 0) strcpy(out, error_name(WSAGetLastError(), b));
        else sprintf(out, "recv %d", r);
    } else if (!strcmp(c[0], "shutdown")) {
        shutdown(find_socket(c[1])->s, SD_SEND);
    } else if (!strcmp(c[0], "reset")) {
        struct linger lg = {1, 0};
        named_socket *s = find_socket(c[1]);
        setsockopt(s->s, SOL_SOCKET, SO_LINGER, (char *)&lg, sizeof lg);
        closesocket(s->s);
        s->closed = 1;
    } else if (!strcmp(c[0], "close")) {
        named_socket *s = find_socket(c[1]);
        closesocket(s->s);
        s->closed = 1;
    } else if (!strcmp(c[0], "associate")) {
        CreateIoCompletionPort((HANDLE)find_socket(c[1])->s, port, (ULONG_PTR)atoll(c[2]), 0);
    } else if (!strcmp(c[0], "skip-port")) {
        HANDLE h = !strcmp(c[1], "H") ? helper : (HANDLE)find_socket(c[1])->s;
        SetFileCompletionNotificationModes(h, FILE_SKIP_COMPLETION_PORT_ON_SUCCESS);
    } else if (!strcmp(c[0], "poll")) {
        named_poll *p = find_poll(c[1], 1);
        int exclusive = 0;
        HANDLE carrier = helper;
        for (int i = 4; i < n; i++) {
            if (!strcmp(c[i], "exclusive")) exclusive = 1;
            else if (!strncmp(c[i], "via=", 4)) carrier = (HANDLE)find_socket(c[i] + 4)->s;
        }
        p->carrier = carrier;
        p->info.Timeout.QuadPart = INT64_MAX;
        p->info.NumberOfHandles = 1;
        p->info.Exclusive = exclusive;
        p->info.Handles[0].Handle = (HANDLE)find_socket(c[2])->s;
        p->info.Handles[0].Events = parse_events(c[3]);
        p->info.Handles[0].Status = 0;
        p->iosb.Status = STATUS_PENDING;
        p->iosb.Information = 0;
        NTSTATUS st = NtDeviceIoControlFile(carrier, NULL, NULL, &p->iosb, &p->iosb, IOCTL_AFD_POLL,
                                            &p->info, sizeof p->info, &p->info, sizeof p->info);
        strcpy(out, status_name(st, b));
    } else if (!strcmp(c[0], "cancel")) {
        named_poll *p = find_poll(c[1], 0);
        IO_STATUS_BLOCK cancel_iosb;
        strcpy(out, status_name(NtCancelIoFileEx(p->carrier, &p->iosb, &cancel_iosb), b));
    } else if (!strcmp(c[0], "result")) {
        poll_result(find_poll(c[1], 0), out);
    } else if (!strcmp(c[0], "wsarecv")) {
        named_op *op = calloc(1, sizeof *op);
        WSABUF buf = {(ULONG)atoi(c[3]), op->buf};
        DWORD flags = 0;
        strcpy(op->name, c[1]);
        ops[nops++] = op;
        int r = WSARecv(find_socket(c[2])->s, &buf, 1, NULL, &flags, &op->ov, NULL);
        if (r == 0) strcpy(out, "done");
        else if (WSAGetLastError() == WSA_IO_PENDING) strcpy(out, "pending");
        else strcpy(out, error_name(WSAGetLastError(), b));
    } else if (!strcmp(c[0], "wsasend")) {
        named_op *op = add_op(c[1]);
        int count = atoi(c[3]), parts = n > 4 ? atoi(c[4]) : 1, offset = 0;
        WSABUF bufs[16];
        op->data = malloc(count ? count : 1);
        memset(op->data, 'x', count);
        for (int i = 0; i < parts; i++) {
            int length = i == parts - 1 ? count - offset : count / parts;
            bufs[i].len = (ULONG)length;
            bufs[i].buf = op->data + offset;
            offset += length;
        }
        submitted(WSASend(find_socket(c[2])->s, bufs, (DWORD)parts, NULL, 0, &op->ov, NULL) == 0, out);
    } else if (!strcmp(c[0], "acceptex")) {
        named_op *op = add_op(c[1]);
        SOCKET target = new_socket();
        DWORD bytes = 0;
        add_socket(c[2], target);
        submitted(accept_ex(find_socket(c[3])->s, target, op->buf, 0, sizeof(struct sockaddr_in6) + 16,
                            sizeof(struct sockaddr_in6) + 16, &bytes, &op->ov), out);
    } else if (!strcmp(c[0], "connectex")) {
        named_op *op = add_op(c[1]);
        SOCKET s = new_socket();
        struct sockaddr_in any = loopback(0), target = loopback(0);
        int len = sizeof target;
        if (!strcmp(c[3], "refused")) {
            SOCKET probe = new_socket();
            bind(probe, (struct sockaddr *)&target, sizeof target);
            getsockname(probe, (struct sockaddr *)&target, &len);
            closesocket(probe);
        } else {
            getsockname(find_socket(c[3])->s, (struct sockaddr *)&target, &len);
        }
        bind(s, (struct sockaddr *)&any, sizeof any);
        CreateIoCompletionPort((HANDLE)s, port, (ULONG_PTR)atoll(c[4]), 0);
        add_socket(c[2], s);
        submitted(connect_ex(s, (struct sockaddr *)&target, sizeof target, NULL, 0, NULL, &op->ov), out);
    } else if (!strcmp(c[0], "file")) {
        create_file(c[1], strtoull(c[2], NULL, 10), out);
    } else if (!strcmp(c[0], "closefile")) {
        named_file *f = find_file(c[1]);
        CloseHandle(f->h);
        f->h = INVALID_HANDLE_VALUE;
    } else if (!strcmp(c[0], "transmitfile")) {
        named_op *op = add_op(c[1]);
        unsigned long long offset = strtoull(c[4], NULL, 10);
        op->ov.Offset = (DWORD)offset;
        op->ov.OffsetHigh = (DWORD)(offset >> 32);
        submitted(transmit_file(find_socket(c[2])->s, find_file(c[3])->h, (DWORD)strtoul(c[5], NULL, 10), 0, &op->ov,
                                NULL, 0), out);
    } else if (!strcmp(c[0], "recv-match")) {
        receive_and_match(find_socket(c[1])->s, strtoull(c[3], NULL, 10), strtoll(c[4], NULL, 10), out);
    } else if (!strcmp(c[0], "cancelio")) {
        named_op *op = n > 2 ? find_op(c[2]) : NULL;
        if (CancelIoEx((HANDLE)find_socket(c[1])->s, op ? &op->ov : NULL)) strcpy(out, "ok");
        else if (GetLastError() == ERROR_NOT_FOUND) strcpy(out, "not-found");
        else strcpy(out, error_name((int)GetLastError(), b));
    } else if (!strcmp(c[0], "post")) {
        PostQueuedCompletionStatus(port, (DWORD)atoi(c[2]), (ULONG_PTR)atoll(c[1]), NULL);
    } else if (!strcmp(c[0], "dequeue")) {
        OVERLAPPED_ENTRY entries[64];
        ULONG removed = 0;
        int max = atoi(c[1]);
        if (taken[0]) {
            strcpy(out, taken);
            taken[0] = 0;
        } else if (!GetQueuedCompletionStatusEx(port, entries, max, &removed, (DWORD)atoi(c[2]), FALSE) || !removed) {
            strcpy(out, "none");
        } else {
            out[0] = 0;
            for (ULONG i = 0; i < removed; i++) {
                char one[256];
                describe(&entries[i], one);
                if (i) strcat(out, " ; ");
                strcat(out, one);
            }
        }
        if (n > 3 && !strcmp(c[3], "partial")) coarse_byte_counts(out);
    } else {
        sprintf(out, "unknown-command %s", c[0]);
    }
}

static void begin_scenario(void) {
    UNICODE_STRING name;
    OBJECT_ATTRIBUTES attributes;
    IO_STATUS_BLOCK iosb;
    static WCHAR path[] = L"\\Device\\Afd\\Conformance";
    nsockets = 0;
    npolls = 0;
    nops = 0;
    nfiles = 0;
    taken[0] = 0;
    port = CreateIoCompletionPort(INVALID_HANDLE_VALUE, NULL, 0, 1);
    name.Length = name.MaximumLength = sizeof path - sizeof(WCHAR);
    name.Buffer = path;
    memset(&attributes, 0, sizeof attributes);
    attributes.Length = sizeof attributes;
    attributes.ObjectName = &name;
    if (NtCreateFile(&helper, SYNCHRONIZE, &attributes, &iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                     FILE_OPEN, 0, NULL, 0)) {
        fprintf(stderr, "cannot open \\Device\\Afd\n");
        exit(2);
    }
    CreateIoCompletionPort(helper, port, 1, 0);
}

static void end_scenario(void) {
    OVERLAPPED_ENTRY entries[64];
    ULONG removed;
    for (int i = 0; i < nsockets; i++) if (!sockets[i].closed) closesocket(sockets[i].s);
    CloseHandle(helper);
    while (GetQueuedCompletionStatusEx(port, entries, 64, &removed, 100, FALSE) && removed) continue;
    CloseHandle(port);
    for (int i = 0; i < npolls; i++) free(polls[i]);
    for (int i = 0; i < nops; i++) { free(ops[i]->data); free(ops[i]); }
    for (int i = 0; i < nfiles; i++) {
        if (files[i].h != INVALID_HANDLE_VALUE) CloseHandle(files[i].h);
        DeleteFileA(files[i].path);
    }
}

int main(int argc, char **argv) {
    WSADATA wsa;
    char line[512];
    int step = 0, open = 0;
    FILE *in;
    if (argc != 2 || !(in = fopen(argv[1], "r"))) {
        fprintf(stderr, "usage: afd_runner scenarios.txt\n");
        return 2;
    }
    WSAStartup(MAKEWORD(2, 2), &wsa);
    {
        GUID accept_id = WSAID_ACCEPTEX, connect_id = WSAID_CONNECTEX, transmit_id = WSAID_TRANSMITFILE;
        DWORD bytes;
        SOCKET s = new_socket();
        WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &accept_id, sizeof accept_id, &accept_ex, sizeof accept_ex,
                 &bytes, NULL, NULL);
        WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &connect_id, sizeof connect_id, &connect_ex,
                 sizeof connect_ex, &bytes, NULL, NULL);
        WSAIoctl(s, SIO_GET_EXTENSION_FUNCTION_POINTER, &transmit_id, sizeof transmit_id, &transmit_file,
                 sizeof transmit_file, &bytes, NULL, NULL);
        closesocket(s);
    }
    static char name[128];
    while (fgets(line, sizeof line, in)) {
        char *text = line, *arrow, *tokens[16], command[512], out[2048];
        int n = 0;
        line[strcspn(line, "\r\n")] = 0;
        while (*text == ' ' || *text == '\t') text++;
        if (!*text || *text == '#') continue;
        if (!strncmp(text, "scenario ", 9)) {
            if (open) end_scenario();
            strcpy(name, text + 9);
            scenario = name;
            step = 0;
            open = 1;
            begin_scenario();
            continue;
        }
        if (!(arrow = strstr(text, "=>"))) continue;
        *arrow = 0;
        while (arrow > text && (arrow[-1] == ' ' || arrow[-1] == '\t')) *--arrow = 0;
        strcpy(command, text);
        for (char *t = strtok(text, " \t"); t && n < 16; t = strtok(NULL, " \t")) tokens[n++] = t;
        execute(tokens, n, out);
        printf("%s\t%d\t%s\t%s\n", scenario, ++step, command, out);
        fflush(stdout);
    }
    if (open) end_scenario();
    return 0;
}
