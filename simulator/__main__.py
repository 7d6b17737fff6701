"""Run the simulator: ``python -m simulator --port 8765``."""

import argparse
import json
import logging
import sys

from simulator.app import Simulator
from simulator.server import build_server


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="Concert Hub simulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--faults",
        default="",
        help="global fault settings as JSON, as POST /admin/faults takes",
    )
    parser.add_argument(
        "--firm",
        action="append",
        default=[],
        metavar="FIRM_ID=NAME",
        help="register another valid Firm ID (repeatable)",
    )
    parser.add_argument(
        "--adviser",
        action="append",
        default=[],
        metavar="UID=FIRM_ID",
        help="register another valid Adviser UID with its firm (repeatable)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each request")
    return parser.parse_args(argv)


def build_app(args: argparse.Namespace) -> Simulator:
    app = Simulator()
    for item in args.firm:
        firm_id, _, name = item.partition("=")
        app.store.add_firm(firm_id, name)
    for item in args.adviser:
        uid, _, firm_id = item.partition("=")
        app.store.add_adviser(uid, firm_id, "")
    if args.faults:
        errors = app.faults.configure(json.loads(args.faults))
        if errors:
            raise SystemExit(f"--faults: {[e.as_dict() for e in errors]}")
    return app


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s simulator %(message)s",
    )
    server = build_server(args.host, args.port, build_app(args))
    sys.stdout.write(
        f"Concert Hub simulator on http://{args.host}:{server.server_port}/\n"
    )
    sys.stdout.flush()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
