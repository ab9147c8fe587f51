# The receiving end of $NOTIFY_SOCKET as systemd implements it: an AF_UNIX datagram socket with
# SO_PASSCRED. Prints each message as a JSON line and closes any passed file descriptors, which
# is how systemd answers systemd-notify's BARRIER=1 (the sender waits for that close).
import array, json, os, socket, sys

sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(sys.argv[1])
sock.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
print(json.dumps({"listening": sys.argv[1]}), flush=True)
while True:
    message, ancillary, _flags, _address = sock.recvmsg(4096, socket.CMSG_SPACE(16 * 4) + socket.CMSG_SPACE(12))
    pid = None
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            for fd in array.array("i", data[: len(data) - len(data) % 4]):
                os.close(fd)
        elif level == socket.SOL_SOCKET and kind == socket.SCM_CREDENTIALS:
            pid = int.from_bytes(data[0:4], "little")
    print(json.dumps({"message": message.decode(), "pid": pid}), flush=True)
