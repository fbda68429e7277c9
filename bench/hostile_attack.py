#!/usr/bin/env python3
"""bench/hostile_attack.py — connection attacks for bench/hostile.sh (loopback only).

  hostile_attack.py PORT SLOW IDLE SECONDS
      keeps SLOW slowloris connections (a request head dribbled one byte per second) and IDLE
      idle connections open against 127.0.0.1:PORT for SECONDS, reopening any the server
      closes; attackers use source addresses 127.0.9.1-127.0.9.250 (bound before connect).
      Prints "ready" once all are open, then a summary line at the end.
  hostile_attack.py bomb FILE MB
      writes a gzip member to FILE that inflates to MB megabytes of zeros.
"""
import resource, select, socket, sys, time, zlib


def bomb(path, mb):
    zeros = b"\0" * (1 << 20)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(zeros) + c.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    with open(path, "wb") as f:
        f.write(b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03")
        for _ in range(mb):
            f.write(block)
            crc = zlib.crc32(zeros, crc)
        f.write(b"\x03\x00")
        f.write(crc.to_bytes(4, "little") + ((mb << 20) & 0xFFFFFFFF).to_bytes(4, "little"))


def attack(port, slow, idle, seconds):
    addrs = ["127.0.9.%d" % (1 + i % 250) for i in range(slow + idle)]
    head = b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: 1\r\n" * 1000

    def open_one(i):
        s = socket.socket()
        s.bind((addrs[i], 0))
        s.connect(("127.0.0.1", port))
        s.setblocking(False)
        return s

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    socks = [open_one(i) for i in range(slow + idle)]
    pos = [0] * slow
    reopened = 0
    print("ready", flush=True)
    end = time.time() + seconds
    while time.time() < end:
        t0 = time.time()
        for i in range(slow):  # one byte per slowloris connection per second
            try:
                socks[i].send(head[pos[i] % len(head):pos[i] % len(head) + 1])
                pos[i] += 1
            except OSError:
                pass
        # Reopen connections the server closed (header deadline, idle timeout).
        poller = select.poll()
        index = {}
        for i, s in enumerate(socks):
            poller.register(s, select.POLLIN)
            index[s.fileno()] = i
        for fd, _ in poller.poll(0):
            i = index[fd]
            s = socks[i]
            try:
                data = s.recv(65536)
            except OSError:
                data = b""
            if not data:
                s.close()
                socks[i] = open_one(i)
                if i < slow:
                    pos[i] = 0
                reopened += 1
        time.sleep(max(0, 1 - (time.time() - t0)))
    print("attack: %d slowloris + %d idle connections held for %d s, %d reopened after the "
          "server closed them" % (slow, idle, seconds, reopened), flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "bomb":
        bomb(sys.argv[2], int(sys.argv[3]))
    else:
        attack(int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
