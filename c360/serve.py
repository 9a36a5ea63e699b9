"""`make serve`: the real-time service on 127.0.0.1 (PORT, default 8600), over the serving index.

    POST /resolve            one JSON person record -> its customer id, confidence and evidence
                             (a list of records -> a list of answers)
    GET  /customers/<id>     one customer's gold_cust_360 row (a reconciled provisional id gives its customer's)
    GET  /health             the index being served: when it was published, how many profiles

Requests to resolve are queued and answered in batches by one worker: a pass of 200 records costs
about fifteen times what one record does (each stage's fixed cost is shared), so concurrent clients
share it. A newly published index (after `make build`) is picked up, and a made-up record resolved on it,
when the worker is next idle for half a second, or else at the next batch.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import sys
import threading
from concurrent.futures import Future
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from c360.serving import Resolver, ServingError, index_path

MAX_BATCH = 256
MAX_BODY_BYTES = 1_000_000
IDLE_SECONDS = 0.5
WARM_UP_RECORD = {"first_name": "Warm", "last_name": "Up", "email": "warm.up@example.com", "phone": "+44 20 7946 0000",
                  "date_of_birth": "1970-01-01", "postcode": "SW1A 1AA", "city": "London", "country": "GB"}


class Service:
    """The current index's resolver (swapped when a new index is published) and the resolving worker."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or index_path()
        self._lock = threading.Lock()
        self._resolver, self._loaded = self._open()
        self._retired: Resolver | None = None
        self._warmed: Resolver | None = None
        self._warm_up_tried: Resolver | None = None
        self._stopped = threading.Event()
        self._requests: queue.Queue[tuple[list[dict], Future]] = queue.Queue()
        threading.Thread(target=self._work, name="resolver", daemon=True).start()

    def _open(self) -> tuple[Resolver, Path]:
        resolver = Resolver(self.path)
        resolver.warm()
        return resolver, resolver.path

    def resolver(self) -> Resolver:
        """The resolver of the newest published index (reopened when the file was replaced)."""
        with self._lock:
            published = self.path.resolve()
            if published != self._loaded and published.exists():
                # the one before is closed a publish later: a request may still be reading it now
                if self._retired is not None:
                    self._retired.close()
                self._retired = self._resolver
                self._resolver, self._loaded = self._open()
            return self._resolver

    @property
    def warmed_index(self) -> Path | None:
        """The index file the worker has resolved a made-up record on (None until it has been idle once)."""
        warmed = self._warmed
        return None if warmed is None else warmed.path

    def stop(self) -> None:
        """Ends the worker within half a second; requests sent after it are not answered (the server never
        stops it: tests do, for a Service of their own)."""
        self._stopped.set()

    def resolve(self, records: list[dict]) -> list[dict]:
        done: Future = Future()
        self._requests.put((records, done))
        return done.result()

    def _work(self) -> None:
        while not self._stopped.is_set():
            try:
                batch = [self._requests.get(timeout=IDLE_SECONDS)]
            except queue.Empty:
                # idle: open a newly published index and resolve a made-up record on it now (preparing
                # this thread's statements, running each once), so the first request after a start or a
                # publish does not wait for that
                with contextlib.suppress(Exception):  # a failure to open it is the next request's answer
                    resolver = self.resolver()
                    if resolver is not self._warm_up_tried:  # once per index, also when it fails
                        self._warm_up_tried = resolver
                        resolver.resolve(WARM_UP_RECORD, log=False)
                        self._warmed = resolver
                continue
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._requests.get_nowait())
                except queue.Empty:
                    break
            resolver = self.resolver()
            # a request with a bad record fails alone: it is resolved by itself to find which
            records = [record for records, _ in batch for record in records]
            try:
                answers = resolver.resolve_many(records)
            except ServingError:
                answers = None
            except Exception as error:  # noqa: BLE001 - every waiting client gets the error
                for _, done in batch:
                    done.set_exception(error)
                continue
            first = 0
            for request_records, done in batch:
                if answers is not None:
                    done.set_result([answer.as_json() for answer in answers[first:first + len(request_records)]])
                    first += len(request_records)
                    continue
                try:
                    done.set_result([answer.as_json() for answer in resolver.resolve_many(request_records)])
                except Exception as error:  # noqa: BLE001 - handed to the request's thread
                    done.set_exception(error)


def handler_for(service: Service) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass  # no request lines: a path holds a customer id, a body personal data

        def _send(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            self._answer(self._get)

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            self._answer(self._post)

        def _answer(self, method: object) -> None:
            try:
                method()
            except Exception as error:  # noqa: BLE001 - the client gets a JSON error, the server keeps serving
                self._send(500, {"error": f"{type(error).__name__}: {error}"})

        def _get(self) -> None:
            if self.path == "/health":
                meta = service.resolver().meta
                self._send(200, {"status": "ok", "index": str(service.path), "published_at": meta["published_at"]})
            elif self.path.startswith("/customers/"):
                customer_id = unquote(self.path[len("/customers/"):])
                row = service.resolver().customer(customer_id)
                if row is None:
                    self._send(404, {"error": f"no customer {customer_id!r} in the index published at "
                                              f"{service.resolver().meta['published_at']}"})
                else:
                    self._send(200, row)
            else:
                self._send(404, {"error": "GET /customers/<customer_id> or /health; POST /resolve"})

        def _post(self) -> None:
            if self.path != "/resolve":
                self._send(404, {"error": "POST /resolve with a JSON person record"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self._send(413, {"error": f"body over {MAX_BODY_BYTES} bytes: send fewer records per request"})
                return
            try:
                body = json.loads(self.rfile.read(length) or b"null")
            except json.JSONDecodeError as error:
                self._send(400, {"error": f"the body is not JSON: {error}"})
                return
            if not isinstance(body, (dict, list)) or not body:
                self._send(400, {"error": "send one person record (a JSON object) or a list of them, e.g. "
                                          '{"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com"}'})
                return
            records = body if isinstance(body, list) else [body]
            try:
                answers = service.resolve(records)
            except ServingError as error:
                self._send(400, {"error": str(error)})
                return
            self._send(200, answers if isinstance(body, list) else answers[0])

    return Handler


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the listen backlog: the default 5 resets connections when clients arrive at once


def serve(port: int, host: str = "127.0.0.1", path: Path | None = None) -> Server:
    """The server, bound and ready (call serve_forever)."""
    return Server((host, port), handler_for(Service(path)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Resolve person records and look up customers over HTTP.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8600))
    args = parser.parse_args(argv)
    try:
        server = serve(args.port)
    except ServingError as error:
        print(f"make serve: {error}", file=sys.stderr)
        return 2
    print(f"serving {index_path()} on http://127.0.0.1:{args.port} (POST /resolve, GET /customers/<id>, "
          f"GET /health); Ctrl-C stops", file=sys.stderr)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
