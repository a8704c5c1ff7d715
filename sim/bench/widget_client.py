"""A dashboard session without a browser: Solara's widget protocol over a websocket.

The load bench's question is how many people one server can serve: in a workshop each
participant's browser draws on their own computer, and only the server is shared. A
Chromium page per session on the same two cores as the server charges the server's
machine for twenty participants' drawing too. This client is what the server sees of
a participant and nothing more: it opens a session the way Solara's page does
(``GET /`` for the session cookie, the kernel websocket, the ``solara.control``
comm's ``run``), keeps the widgets' state from their ``comm_open`` and ``update``
messages, clicks a button by sending the click event the browser would send, and
waits for the message that brings the new frame. It draws nothing.

The protocol is Jupyter's messaging over websockets (JSON text frames, or binary
frames when a message carries buffers) with ipywidgets' comm messages; the message
names come from Solara's server (``solara.server.server.process_kernel_messages``,
``solara.server.app.solara_comm_target``) and ipyvue's ``VueWidget._handle_event``.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import urllib.request
import uuid
from collections.abc import Callable
from typing import Any

#: Seconds to wait for a message before giving up.
RECEIVE_TIMEOUT_S = 240.0


def _message(msg_type: str, content: dict[str, Any], session: str) -> str:
    """A Jupyter message on the shell channel, as the browser sends it (JSON text)."""
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "username": "", "session": session,
                   "msg_type": msg_type, "version": "5.3",
                   "date": datetime.datetime.now(datetime.UTC).isoformat()},
        "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
        "buffers": []})


def _decode(frame: str | bytes) -> dict[str, Any]:
    """A message from the server: JSON text, or Solara's binary framing with buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    from solara.server.kernel import deserialize_binary_message

    return deserialize_binary_message(frame)


class WidgetClient:
    """One dashboard session: its widgets' state, and buttons to press.

    Attributes:
        widgets: comm id -> the widget's synced state, as the browser would hold it.
    """

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")
        self.session = uuid.uuid4().hex
        self.widgets: dict[str, dict[str, Any]] = {}
        self._socket: Any = None

    async def open(self, path: str = "/") -> None:
        """Open a session on ``path`` and wait until the page's app has rendered."""
        import websockets

        def get_cookie() -> str:
            with urllib.request.urlopen(self.url + path, timeout=60) as response:
                cookies = response.headers.get_all("Set-Cookie") or []
            return "; ".join(c.split(";", 1)[0] for c in cookies)

        cookie = await asyncio.to_thread(get_cookie)
        ws_url = (self.url.replace("http://", "ws://", 1)
                  + f"/jupyter/api/kernels/{uuid.uuid4()}/channels?session_id={self.session}")
        self._socket = await websockets.connect(ws_url, additional_headers={"Cookie": cookie},
                                                max_size=None)
        control = uuid.uuid4().hex
        await self._send("comm_open", {"comm_id": control, "target_name": "solara.control",
                                       "data": {}})
        await self._send("comm_msg", {"comm_id": control, "data": {
            "method": "run", "args": {"path": path, "appName": "__default__"}}})
        await self.wait_for(lambda msg: msg["msg_type"] == "comm_msg"
                            and msg["content"].get("comm_id") == control
                            and msg["content"]["data"].get("method") == "finished")

    async def close(self) -> None:
        """Close the websocket (the server ends the session's kernel)."""
        if self._socket is not None:
            await self._socket.close()

    async def _send(self, msg_type: str, content: dict[str, Any]) -> None:
        await self._socket.send(_message(msg_type, content, self.session))

    def _take(self, msg: dict[str, Any]) -> None:
        """Keep a widget's state from a ``comm_open`` or an ``update``."""
        content = msg.get("content", {})
        comm = content.get("comm_id")
        data = content.get("data") or {}
        if msg.get("msg_type") == "comm_open" and "state" in data:
            self.widgets[comm] = dict(data["state"])
        elif msg.get("msg_type") == "comm_msg" and data.get("method") == "update":
            self.widgets.setdefault(comm, {}).update(data.get("state", {}))
        elif msg.get("msg_type") == "comm_close":
            self.widgets.pop(comm, None)

    async def wait_for(self, done: Callable[[dict[str, Any]], bool],
                       timeout: float = RECEIVE_TIMEOUT_S) -> dict[str, Any]:
        """Read messages (keeping widget state) until ``done(message)``; that message."""
        async def read() -> dict[str, Any]:
            while True:
                msg = _decode(await self._socket.recv())
                msg["msg_type"] = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
                self._take(msg)
                if done(msg):
                    return msg
        return await asyncio.wait_for(read(), timeout)

    def find(self, test: Callable[[dict[str, Any]], bool]) -> list[str]:
        """The comm ids of the widgets whose state passes ``test``."""
        return [comm for comm, state in self.widgets.items() if test(state)]

    def button(self, label: str) -> str:
        """The comm id of the one button whose text is ``label``."""
        found = self.find(lambda s: s.get("_model_name") == "BtnModel"
                          and label in (s.get("children") or []))
        if len(found) != 1:
            raise RuntimeError(f"expected one button {label!r}, found {len(found)}")
        return found[0]

    async def click(self, comm: str) -> None:
        """Press a button: the click event ipyvue's browser side sends."""
        events = [e for e in self.widgets[comm].get("_events", []) if e.startswith("click")]
        await self._send("comm_msg", {"comm_id": comm, "data": {
            "method": "custom", "content": {"event": events[0] if events else "click",
                                            "data": {}}}})
