"""The `publish:` part of site_data.yaml → validated PublishSettings; secrets in the file are refused."""

from __future__ import annotations

import re

from sitegen.fields import FieldReader
from sitegen.publish_model import DEFAULT_KEEP_ARCHIVES, DEFAULT_SFTP_PORT, TARGET_KINDS, PublishSettings, PublishTarget

_KEYS = {"keep_archives", "targets"}
_FOLDER_KEYS = {"name", "kind", "path"}
_SFTP_KEYS = {"name", "kind", "host", "port", "user", "path", "key", "password_env", "fingerprint"}
# Keys people use for secrets: refused with the way to do it instead.
_SECRET_KEYS = {"password", "pass", "passwd", "passphrase", "secret", "token", "private_key", "mat_khau",
                "matkhau", "mật_khẩu", "mật khẩu", "mat khau"}
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[?[0-9A-Fa-f:]+\]?$")
_FINGERPRINT = re.compile(r"^SHA256:[A-Za-z0-9+/]{43}=?$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_SECRET_TEXT = ("PRIVATE KEY-----", "PuTTY-User-Key-File")


def read_publish(field: FieldReader | None) -> PublishSettings:
    """Validate `publish:`; every problem goes to the reader's diagnostics, with its line."""
    if field is None:
        return PublishSettings()
    field.warn_unknown(_KEYS)
    _refuse_secrets(field)
    keep = field.integer("keep_archives", default=DEFAULT_KEEP_ARCHIVES, minimum=1, maximum=100)
    targets: list[PublishTarget] = []
    for index, item in field.mapping_list("targets"):
        target = _read_target(FieldReader(item, field.path, field.diagnostics, f"publish.targets[{index + 1}]"))
        if target is None:
            continue
        if any(t.name == target.name for t in targets):
            field.diagnostics.error(field.path, target.line, f"nơi đăng '{target.name}' bị khai báo hai lần")
            continue
        targets.append(target)
    return PublishSettings(targets=tuple(targets), keep_archives=keep)


def _read_target(item: FieldReader) -> PublishTarget | None:
    errors_before = len(item.diagnostics.errors)
    _refuse_secrets(item)
    name = item.text("name", required=True)
    if name and not _NAME.match(name):
        item.diagnostics.error(item.path, item.line("name"),
                               f"tên nơi đăng '{name}' phải viết thường, không dấu, nối bằng '-' "
                               f"(ví dụ 'cong-thong-tin')")
    kind = item.text("kind", required=True)
    if kind and kind not in TARGET_KINDS:
        item.diagnostics.error(item.path, item.line("kind"),
                               f"loại nơi đăng '{kind}' không có; chọn một trong: "
                               + ", ".join(f"{key} ({label})" for key, label in TARGET_KINDS.items()))
        return None
    path = item.text("path", required=True)
    if kind == "folder":
        item.warn_unknown(_FOLDER_KEYS)
        target = PublishTarget(name=name, kind=kind, path=path, source=item.path, line=item.mapping.line or None)
    elif kind == "sftp":
        item.warn_unknown(_SFTP_KEYS)
        target = _read_sftp(item, name, path)
    else:
        return None
    return target if len(item.diagnostics.errors) == errors_before else None


def _read_sftp(item: FieldReader, name: str, path: str) -> PublishTarget:
    host = item.text("host", required=True)
    if host.startswith(("sftp://", "ssh://", "ftp://", "http://", "https://")) or "@" in host or "/" in host:
        item.diagnostics.error(item.path, item.line("host"),
                               f"'host' chỉ ghi tên máy chủ (ví dụ thanhtra.example.gov.vn hoặc 10.0.0.5), không "
                               f"ghi sftp://, tên đăng nhập hay thư mục; tên đăng nhập ghi ở 'user', thư mục ở 'path' "
                               f"(đang là '{host}')")
    elif host and not _HOST.match(host):
        item.diagnostics.error(item.path, item.line("host"), f"tên máy chủ '{host}' không hợp lệ")
    if path and not path.startswith("/") and ":" in path:
        item.diagnostics.error(item.path, item.line("path"),
                               f"'path' của máy chủ SFTP là thư mục trên máy chủ, viết bằng '/' "
                               f"(ví dụ /var/www/html/vi-nguoi-ngheo), không phải '{path}'")
    password_env = item.text("password_env")
    if password_env and not _ENV_NAME.match(password_env):
        item.diagnostics.error(item.path, item.line("password_env"),
                               "'password_env' là TÊN một biến môi trường chứa mật khẩu (ví dụ VNN_MAT_KHAU), "
                               "không phải mật khẩu; đừng ghi mật khẩu vào site_data.yaml")
    fingerprint = item.text("fingerprint")
    if fingerprint and not _FINGERPRINT.match(fingerprint):
        item.diagnostics.error(item.path, item.line("fingerprint"),
                               "'fingerprint' là vân tay khóa của máy chủ dạng SHA256:… (43 ký tự sau dấu hai "
                               "chấm), như lệnh 'ssh-keygen -lf' in ra; hãy hỏi bộ phận quản trị máy chủ")
    return PublishTarget(
        name=name, kind="sftp", path=path, host=host.strip("[]"),
        port=item.integer("port", default=DEFAULT_SFTP_PORT, minimum=1, maximum=65535),
        user=item.text("user", required=True), key_file=item.text("key"), password_env=password_env,
        fingerprint=fingerprint, source=item.path, line=item.mapping.line or None,
    )


def _refuse_secrets(field: FieldReader) -> None:
    """A password or a private key written in the file is an error that says where it belongs."""
    for key, value in field.mapping.items():
        name = f"{field.where}.{key}" if field.where else str(key)
        if str(key).strip().lower() in _SECRET_KEYS:
            field.diagnostics.error(field.path, field.line(str(key)),
                                    f"không ghi mật khẩu hay khóa bí mật vào site_data.yaml (mục '{name}'): tệp này "
                                    f"được chép và gửi đi cùng dự án. Hãy đặt mật khẩu vào một biến môi trường và "
                                    f"ghi tên biến ở 'password_env' (ví dụ password_env: VNN_MAT_KHAU), hoặc dùng "
                                    f"khóa SSH ('key') hay SSH agent. Xóa dòng này đi")
        elif isinstance(value, str) and any(mark in value for mark in _SECRET_TEXT):
            field.diagnostics.error(field.path, field.line(str(key)),
                                    f"mục '{name}' chứa nội dung một khóa riêng; không dán khóa vào site_data.yaml. "
                                    f"Hãy để khóa trong một tệp ngoài thư mục dự án (ví dụ ~/.ssh/id_ed25519) và "
                                    f"ghi đường dẫn tệp ở 'key'")

