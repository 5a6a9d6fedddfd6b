"""A comm that keeps what the kernel would send to the front end, to count and read it.

Installed as ``comm.create_comm`` (the hook ipywidgets calls): nothing is
faked on the widgets' side, the messages are only kept instead of published.
"""

from __future__ import annotations

import json
from typing import Any

import comm
from comm.base_comm import BaseComm


class RecordingComm(BaseComm):
    wire: Wire

    def publish_msg(
        self,
        msg_type: str,
        data: dict[str, Any] | None = None,
        metadata: dict[str, Any] | None = None,
        buffers: list[bytes] | None = None,
        **keys: Any,
    ) -> None:
        self.wire.record(self.comm_id, msg_type, data or {}, buffers or [])


class Wire:
    """Every message sent, in order, with its size in bytes (JSON, as on the wire)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, dict[str, Any], int]] = []

    def record(self, comm_id: str, msg_type: str, data: dict[str, Any], buffers: list) -> None:
        size = len(json.dumps(data, default=str)) + sum(len(b) for b in buffers)
        self.messages.append((comm_id, msg_type, data, size))

    def install(self) -> Any:
        previous = comm.create_comm
        wire = self

        def create(*args: Any, **kwargs: Any) -> BaseComm:
            kwargs.pop("kernel", None)
            made = RecordingComm(*args, **kwargs)
            return made

        RecordingComm.wire = wire
        comm.create_comm = create
        return previous

    def bytes_since(self, index: int, comm_ids: set[str] | None = None) -> int:
        return sum(
            size
            for comm_id, _, _, size in self.messages[index:]
            if comm_ids is None or comm_id in comm_ids
        )

    def custom(self, comm_id: str) -> list[dict[str, Any]]:
        """The custom messages (``widget.send``) sent on one comm."""
        return [
            data["content"]
            for cid, kind, data, _ in self.messages
            if cid == comm_id and kind == "comm_msg" and data.get("method") == "custom"
        ]
