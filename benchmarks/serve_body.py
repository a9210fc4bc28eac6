"""The command line both comparison servers share: `--body FILE --port P`, serving
`create_app(body)` with uvicorn on 127.0.0.1."""

import argparse
import json
from pathlib import Path

import uvicorn


def main(create_app, description: str) -> None:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    uvicorn.run(
        create_app(json.loads(args.body.read_text())),
        host="127.0.0.1",
        port=args.port,
        access_log=False,
        log_level="warning",
    )
