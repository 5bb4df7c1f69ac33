"""SFTP targets over SSH with verified host keys, every failure in Vietnamese (the only importer of paramiko)."""

# paramiko rather than asyncssh: the publisher is a plain sequential program (one file after another,
# in a fixed order), so a blocking client keeps it simple; paramiko is the long-standing, widely
# deployed SSH library (Fabric, Ansible), speaks to Windows' OpenSSH agent and Pageant, and its
# wheels install on office laptops without a compiler.

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import logging
import os
import posixpath
import secrets
import socket
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import paramiko

from sitegen.publish_model import PublishTarget, TargetError

PROJECT_KNOWN_HOSTS = "known_hosts"
"""The project's own list of trusted servers, next to site_data.yaml (public keys only: safe to share)."""
TRUST_COMMAND = "python build.py publish --trust-host"
CONNECT_TIMEOUT = 20.0  # seconds to reach the server and finish the SSH handshake
IO_TIMEOUT = 60.0  # seconds without an answer before a transfer is given up
_CHUNK = 32768
_KNOWN_HOSTS_HEADER = ("# SSH host keys trusted for publishing (python build.py publish --trust-host).\n"
                       "# One server per line; delete a line to stop trusting that server.\n")

# paramiko logs failures (with tracebacks) from its own threads; staff must only ever see our messages.
logging.getLogger("paramiko").addHandler(logging.NullHandler())
logging.getLogger("paramiko").propagate = False


@dataclass(frozen=True)
class Connected:
    """An open SFTP target, and the host key newly trusted on the way (if any)."""

    target: SftpTarget
    trusted: str = ""  # "SHA256:…" when --trust-host recorded the server's key just now


def fingerprint(key: paramiko.PKey) -> str:
    """A key's SHA-256 fingerprint as OpenSSH prints it: "SHA256:" + unpadded base64."""
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def host_entry(host: str, port: int) -> str:
    """How known_hosts names a server: "host", or "[host]:port" for a port other than 22."""
    return host if port == 22 else f"[{host}]:{port}"


def connect_sftp(target: PublishTarget, root: Path, *, trust_host: bool,
                 environ: Mapping[str, str] | None = None) -> Connected:
    """Log in to an SFTP target after checking its host key; raise TargetError, in Vietnamese, on any failure."""
    environ = os.environ if environ is None else environ
    password = _password(target, environ)
    key = _private_key(target, root, password)
    project_hosts = root / PROJECT_KNOWN_HOSTS
    policy = _UnknownHostPolicy(target, project_hosts, trust_host)
    client = paramiko.SSHClient()
    for path in (Path.home() / ".ssh" / "known_hosts", Path.home() / "ssh" / "known_hosts", project_hosts):
        _load_known_hosts(path, client.get_host_keys())
    client.set_missing_host_key_policy(policy)
    try:
        client.connect(target.host, port=target.port, username=target.user, password=password, pkey=key,
                       timeout=CONNECT_TIMEOUT, banner_timeout=CONNECT_TIMEOUT, auth_timeout=CONNECT_TIMEOUT,
                       channel_timeout=CONNECT_TIMEOUT, allow_agent=True, look_for_keys=key is None,
                       compress=True)
        transport = client.get_transport()
        if transport is None:  # pragma: no cover - connect() either sets it or raises
            raise paramiko.SSHException("no transport")
        transport.set_keepalive(15)
        try:
            sftp = client.open_sftp()
        except (paramiko.SSHException, EOFError) as error:
            raise TargetError(f"đăng nhập được vào {target.host} nhưng máy chủ không mở SFTP cho tài khoản "
                              f"'{target.user}' ({error}); nhờ quản trị máy chủ bật SFTP") from None
        sftp.get_channel().settimeout(IO_TIMEOUT)
        opened = SftpTarget(client, sftp, target)
        opened.check_root()
    except TargetError:
        client.close()
        raise
    except _Refused as refused:
        client.close()
        raise TargetError(refused.message) from None
    except paramiko.BadHostKeyException as error:
        client.close()
        raise TargetError(_changed_key_message(target, error, project_hosts)) from None
    except (paramiko.SSHException, OSError, EOFError) as error:
        client.close()
        raise TargetError(_connect_message(target, error, key is not None)) from None
    return Connected(opened, policy.trusted)


# --- credentials ------------------------------------------------------------------------


def _password(target: PublishTarget, environ: Mapping[str, str]) -> str | None:
    if not target.password_env:
        return None
    value = environ.get(target.password_env)
    if not value:
        raise TargetError(f"nơi đăng '{target.name}' lấy mật khẩu từ biến môi trường {target.password_env} "
                          f"nhưng biến này chưa được đặt. Trên Windows (PowerShell): "
                          f"$env:{target.password_env} = \"mật khẩu\" rồi chạy lại lệnh trong cùng cửa sổ; trên "
                          f"Linux/macOS: export {target.password_env}=…")
    return value


def _private_key(target: PublishTarget, root: Path, password: str | None) -> paramiko.PKey | None:
    """The configured key file, loaded here so each problem with it gets its own message."""
    if not target.key_file:
        return None
    path = Path(target.key_file).expanduser()
    if not path.is_absolute():
        path = root / path
    shown = target.key_file
    with contextlib.suppress(OSError, ValueError):
        if path.resolve().is_relative_to(root.resolve()):
            raise TargetError(f"tệp khóa riêng '{shown}' nằm trong thư mục dự án: khóa là bí mật, không được để "
                              f"chung với dự án (dự án được chép, nén và gửi đi). Hãy chuyển nó ra ngoài, ví dụ "
                              f"vào ~/.ssh/, và sửa 'key' trong site_data.yaml")
    if not path.is_file():
        raise TargetError(f"không tìm thấy tệp khóa riêng '{shown}' (mục 'key' của nơi đăng '{target.name}')")
    try:
        head = path.read_bytes()[:64]
    except OSError as error:
        raise TargetError(f"không đọc được tệp khóa riêng '{shown}' ({error.strerror})") from None
    if head.startswith(b"PuTTY-User-Key-File"):
        raise TargetError(f"tệp khóa '{shown}' là dạng PuTTY (.ppk); hãy mở nó bằng PuTTYgen, chọn Conversions → "
                          f"Export OpenSSH key, lưu ra tệp mới rồi ghi tệp đó ở 'key'")
    try:
        return paramiko.PKey.from_path(path, password.encode() if password else None)
    except (paramiko.PasswordRequiredException, TypeError) as error:
        if password is None and (isinstance(error, paramiko.PasswordRequiredException) or "password" in str(error)):
            raise TargetError(f"tệp khóa riêng '{shown}' được khóa bằng mật khẩu; hãy đặt mật khẩu đó vào một biến "
                              f"môi trường và ghi tên biến ở 'password_env', hoặc nạp khóa vào SSH agent (ssh-add) "
                              f"và bỏ mục 'key'") from None
        raise TargetError(_unusable_key(shown)) from None
    except (paramiko.SSHException, ValueError, OSError):
        raise TargetError(_unusable_key(shown)) from None


def _unusable_key(shown: str) -> str:
    return (f"tệp '{shown}' không phải khóa riêng SSH dùng được, hoặc mật khẩu của khóa (biến môi trường ở "
            f"'password_env') sai; cần khóa dạng OpenSSH, ví dụ tạo bằng: ssh-keygen -t ed25519")


# --- host keys --------------------------------------------------------------------------


class _Refused(Exception):  # noqa: N818 - carries a message for staff
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _UnknownHostPolicy(paramiko.MissingHostKeyPolicy):
    """A server not in any known_hosts: accept a pinned fingerprint, record a key trusted once, else refuse."""

    def __init__(self, target: PublishTarget, project_hosts: Path, trust_host: bool) -> None:
        self.target, self.project_hosts, self.trust_host = target, project_hosts, trust_host
        self.trusted = ""

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        seen = fingerprint(key)
        target = self.target
        if target.fingerprint:
            if seen == target.fingerprint.rstrip("="):
                return
            raise _Refused(f"vân tay khóa của máy chủ {target.host} là {seen}, khác với 'fingerprint' ghi trong "
                           f"site_data.yaml ({target.fingerprint}). Có thể có kẻ mạo danh máy chủ (tấn công xen "
                           f"giữa): không đăng. Hãy hỏi quản trị máy chủ vân tay đúng")
        if not self.trust_host:
            raise _Refused(f"máy chủ {target.host} (cổng {target.port}) chưa được tin cậy: chưa có trong "
                           f"~/.ssh/known_hosts hay tệp {PROJECT_KNOWN_HOSTS} của dự án. Vân tay khóa của nó là "
                           f"{seen} ({key.get_name()}). Hãy hỏi quản trị máy chủ vân tay đúng (trên máy chủ: "
                           f"ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub); nếu trùng khớp, chạy một lần lệnh: "
                           f"{TRUST_COMMAND}")
        _record_host(self.project_hosts, host_entry(target.host, target.port), key)
        self.trusted = seen


def _load_known_hosts(path: Path, into: paramiko.HostKeys) -> None:
    """Add the keys of an OpenSSH known_hosts file; unreadable lines are skipped, as OpenSSH does."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith(("#", "@")):
            continue
        try:
            entry = paramiko.hostkeys.HostKeyEntry.from_line(line, number)
        except Exception:  # a damaged line is skipped, as OpenSSH does
            continue
        if entry is not None and entry.key is not None:
            for name in entry.hostnames:
                into.add(name, entry.key.get_name(), entry.key)


def _record_host(path: Path, entry: str, key: paramiko.PKey) -> None:
    try:
        existing = path.read_text(encoding="utf-8") if path.is_file() else _KNOWN_HOSTS_HEADER
        if existing and not existing.endswith("\n"):
            existing += "\n"
        path.write_text(f"{existing}{entry} {key.get_name()} {key.get_base64()}\n", encoding="utf-8")
    except OSError as error:
        raise _Refused(f"không ghi được tệp {PROJECT_KNOWN_HOSTS} của dự án ({error.strerror})") from None


def _changed_key_message(target: PublishTarget, error: paramiko.BadHostKeyException, project_hosts: Path) -> str:
    entry = host_entry(target.host, target.port)
    project = paramiko.HostKeys()
    _load_known_hosts(project_hosts, project)
    where = (f"tệp {PROJECT_KNOWN_HOSTS} của dự án" if project.lookup(entry) is not None
             else "tệp ~/.ssh/known_hosts của máy này")
    return (f"KHÓA CỦA MÁY CHỦ {target.host} ĐÃ THAY ĐỔI: máy chủ đưa ra {fingerprint(error.key)}, trong khi "
            f"{where} ghi {fingerprint(error.expected_key)}. Có thể có kẻ mạo danh máy chủ (tấn công xen giữa), nên "
            f"không đăng gì cả. Hãy báo quản trị máy chủ. Chỉ khi họ xác nhận máy chủ vừa được cài lại và vân tay "
            f"mới đúng là {fingerprint(error.key)}, hãy xóa dòng '{entry}' trong {where} rồi chạy {TRUST_COMMAND}")


# --- messages for connection failures ---------------------------------------------------


def _connect_message(target: PublishTarget, error: BaseException, has_key: bool) -> str:
    where = f"máy chủ {target.host} (cổng {target.port})"
    if isinstance(error, paramiko.AuthenticationException):
        how = []
        if has_key:
            how.append(f"khóa '{target.key_file}' chưa được cấp quyền trên máy chủ (authorized_keys)")
        if target.password_env:
            how.append(f"mật khẩu trong biến môi trường {target.password_env} sai")
        if not how:
            how.append("khóa SSH của máy này (SSH agent hoặc ~/.ssh/id_…) chưa được cấp quyền trên máy chủ")
        return (f"{where} từ chối đăng nhập của tài khoản '{target.user}': " + ", hoặc ".join(how)
                + ". Hãy kiểm tra 'user', 'key', 'password_env' trong site_data.yaml, hoặc nhờ quản trị máy chủ")
    if isinstance(error, paramiko.ssh_exception.NoValidConnectionsError):
        codes = {getattr(e, "errno", None) for e in error.errors.values()}
        if errno.ECONNREFUSED in codes:
            return (f"{where} từ chối kết nối: dịch vụ SSH/SFTP không chạy ở cổng này, hoặc sai 'port' trong "
                    f"site_data.yaml")
        return f"không tới được {where}: mạng không thông tới máy chủ (kiểm tra mạng, VPN hoặc tường lửa)"
    if isinstance(error, socket.gaierror):
        return (f"không tìm thấy máy chủ tên '{target.host}': sai tên máy chủ trong 'host', hoặc máy này chưa nối "
                f"mạng (hay chưa bật VPN của cơ quan)")
    if isinstance(error, (TimeoutError, socket.timeout)):
        return (f"{where} không trả lời sau {round(CONNECT_TIMEOUT)} giây: mạng chậm, tường lửa chặn, hoặc sai "
                f"địa chỉ, sai cổng")
    text = str(error)
    if "banner" in text.lower() or "No existing session" in text:
        return (f"{where} không trả lời như một máy chủ SSH/SFTP (sai cổng? cổng SFTP thường là 22); hoặc máy chủ "
                f"đóng kết nối ngay")
    if "No authentication methods" in text:
        return (f"không có cách nào để đăng nhập vào {where}: chưa có khóa SSH (mục 'key', SSH agent, hay "
                f"~/.ssh/id_ed25519) và chưa khai báo 'password_env'")
    if isinstance(error, ConnectionRefusedError):
        return f"{where} từ chối kết nối (dịch vụ SSH/SFTP không chạy ở cổng này?)"
    if isinstance(error, OSError) and error.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
        return f"không tới được {where}: mạng không thông tới máy chủ (kiểm tra mạng, VPN hoặc tường lửa)"
    if isinstance(error, (EOFError, ConnectionError)):
        return f"mất kết nối tới {where} khi đang đăng nhập; hãy thử lại"
    return f"không kết nối được tới {where} ({text or type(error).__name__})"


# --- the target -------------------------------------------------------------------------


class SftpTarget:
    """A site folder on an SFTP server (see sitegen.publish_model.Target)."""

    def __init__(self, client: paramiko.SSHClient, sftp: paramiko.SFTPClient, config: PublishTarget) -> None:
        self._client, self._sftp, self._config = client, sftp, config
        self._root = ""
        self._folders: set[str] = set()
        self._posix_rename = True

    # The Target protocol --------------------------------------------------------------

    def list_files(self, folder: str = "") -> dict[str, int]:
        files: dict[str, int] = {}
        pending = [folder.strip("/")]
        while pending:
            current = pending.pop()
            with self._doing("đọc danh sách tệp trong", current or "."):
                try:
                    entries = self._sftp.listdir_attr(self._remote(current))
                except FileNotFoundError:
                    continue
            self._folders.add(current)
            for entry in entries:
                relative = f"{current}/{entry.filename}" if current else entry.filename
                mode = entry.st_mode or 0
                if stat.S_ISDIR(mode):
                    pending.append(relative)
                elif stat.S_ISREG(mode):
                    files[relative] = entry.st_size or 0
        return files

    def read_bytes(self, path: str) -> bytes | None:
        with self._doing("đọc", path):
            try:
                with self._sftp.open(self._remote(path), "rb") as remote:
                    return remote.read()
            except FileNotFoundError:
                return None

    def write_bytes(self, path: str, data: bytes) -> None:
        temporary = f"{path}.tmp-{secrets.token_hex(4)}"
        with self._doing("ghi", path, writing=True):
            self._make_parent(path)
            with self._sftp.open(self._remote(temporary), "wb") as remote:
                remote.write(data)
            self._replace(temporary, path)

    def upload(self, source: Path, path: str, sent: Callable[[int], None]) -> str:
        part = f"{path}.part"
        digest = hashlib.sha256()
        with self._doing("gửi", path, writing=True):
            self._make_parent(path)
            with source.open("rb") as local, self._sftp.open(self._remote(part), "wb") as remote:
                remote.set_pipelined(True)
                while chunk := local.read(_CHUNK):
                    digest.update(chunk)
                    remote.write(chunk)
                    sent(len(chunk))
            self._replace(part, path)
        return digest.hexdigest()

    def move(self, source: str, path: str) -> None:
        with self._doing("đặt vào chỗ", path, writing=True):
            self._make_parent(path)
            self._replace(source, path)

    def remove(self, path: str) -> None:
        with self._doing("xóa", path), contextlib.suppress(FileNotFoundError):
            self._sftp.remove(self._remote(path))

    def remove_empty_folders(self, folders: Iterable[str]) -> None:
        for folder in sorted({f.strip("/") for f in folders if f.strip("/")}, key=lambda f: -f.count("/")):
            try:
                self._sftp.rmdir(self._remote(folder))
            except OSError:
                continue  # not empty, or not ours to remove
            self._folders.discard(folder)

    def create_new(self, path: str, data: bytes) -> bool:
        with self._doing("tạo", path, writing=True):
            self._make_parent(path)
            try:
                with self._sftp.open(self._remote(path), "wbx") as remote:
                    remote.write(data)
            except OSError:
                if self._exists(path):
                    return False
                raise
        return True

    def modified(self, path: str) -> float | None:
        with self._doing("đọc thông tin", path):
            try:
                return float(self._sftp.stat(self._remote(path)).st_mtime or 0)
            except FileNotFoundError:
                return None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._sftp.close()
        with contextlib.suppress(Exception):
            self._client.close()

    # Helpers ----------------------------------------------------------------------------

    def check_root(self) -> None:
        """Resolve the configured remote folder; it must exist (a typo must not create a new site)."""
        path = self._config.path or "."
        with self._doing("mở thư mục", path):
            try:
                self._root = self._sftp.normalize(path)
                attributes = self._sftp.stat(self._root)
            except FileNotFoundError:
                raise TargetError(f"thư mục '{path}' không có trên máy chủ {self._config.host}; hãy kiểm tra 'path' "
                                  f"của nơi đăng '{self._config.name}' (thư mục phải có sẵn, lệnh không tự tạo "
                                  f"để tránh đăng nhầm chỗ)") from None
        if not stat.S_ISDIR(attributes.st_mode or 0):
            raise TargetError(f"'{path}' trên máy chủ {self._config.host} không phải thư mục")

    def drop_connection(self) -> None:
        """Cut the network connection as a failing network would (used by tests)."""
        transport = self._client.get_transport()
        if transport is not None:
            transport.sock.shutdown(socket.SHUT_RDWR)  # type: ignore[union-attr]

    def _remote(self, relative: str) -> str:
        if not _safe(relative):
            raise ValueError(f"refusing a path outside the target: {relative!r}")
        return posixpath.join(self._root, relative) if relative else self._root

    def _exists(self, relative: str) -> bool:
        try:
            self._sftp.stat(self._remote(relative))
        except FileNotFoundError:
            return False
        return True

    def _make_parent(self, relative: str) -> None:
        parent = posixpath.dirname(relative)
        missing = []
        while parent and parent not in self._folders:
            missing.append(parent)
            parent = posixpath.dirname(parent)
        for folder in reversed(missing):
            try:
                self._sftp.mkdir(self._remote(folder), mode=0o755)
            except OSError:
                if not self._exists(folder):
                    raise
            self._folders.add(folder)

    def _replace(self, source: str, path: str) -> None:
        """Rename over an existing file in one step (OpenSSH's posix-rename), or as close to it as the server allows."""
        if self._posix_rename:
            try:
                self._sftp.posix_rename(self._remote(source), self._remote(path))
                return
            except OSError as error:
                if error.errno is not None or "unsupported" not in str(error).lower():
                    raise
                self._posix_rename = False
        with contextlib.suppress(FileNotFoundError):
            self._sftp.remove(self._remote(path))
        self._sftp.rename(self._remote(source), self._remote(path))

    @contextlib.contextmanager
    def _doing(self, what: str, path: str, writing: bool = False) -> Iterator[None]:
        """Turn whatever the server or the network does into a TargetError that staff can act on."""
        try:
            yield
        except TargetError:
            raise
        except (PermissionError, OSError, EOFError, paramiko.SSHException) as error:
            raise TargetError(self._explain(error, what, path, writing)) from None

    def _explain(self, error: BaseException, what: str, path: str, writing: bool) -> str:
        config = self._config
        transport = self._client.get_transport()
        shown = f"'{path}'" if path not in ("", ".") else f"thư mục '{config.path}'"
        if isinstance(error, (TimeoutError, socket.timeout)):
            return (f"máy chủ {config.host} ngừng trả lời quá {round(IO_TIMEOUT)} giây khi {what} {shown}; "
                    f"mạng có thể đã mất. Trang trên máy chủ vẫn dùng được; hãy chạy lại lệnh publish để đăng tiếp")
        if transport is None or not transport.is_active() or isinstance(error, (EOFError, ConnectionError)):
            return (f"mất kết nối tới máy chủ {config.host} khi {what} {shown}. Trang trên máy chủ vẫn dùng được "
                    f"(bản cũ, hoặc bản cũ xen bản mới mà không thiếu tệp nào); hãy chạy lại lệnh publish để "
                    f"đăng tiếp phần còn lại")
        if isinstance(error, PermissionError) or getattr(error, "errno", None) in (errno.EACCES, errno.EPERM):
            return (f"máy chủ {config.host} không cho {what} {shown}: tài khoản '{config.user}' không có quyền "
                    f"ghi vào thư mục '{config.path}' trên máy chủ; nhờ quản trị máy chủ cấp quyền")
        if isinstance(error, FileNotFoundError):
            return f"không có {shown} trên máy chủ {config.host} (khi {what})"
        if writing:
            return (f"máy chủ {config.host} không ghi được {shown} ({error}): thường do ổ đĩa trên máy chủ đã đầy "
                    f"hoặc tài khoản '{config.user}' đã hết hạn mức dung lượng; nhờ quản trị máy chủ kiểm tra")
        return f"máy chủ {config.host} báo lỗi khi {what} {shown} ({error or type(error).__name__})"


def _safe(relative: str) -> bool:
    parts = relative.split("/")
    return not (relative.startswith("/") or "\\" in relative or "\x00" in relative or ":" in parts[0]
                or ".." in parts)
