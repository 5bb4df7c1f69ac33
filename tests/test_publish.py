"""Publishing: archives, manifests, folder and SFTP targets against a real OpenSSH server on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import io
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.fields import FieldReader
from sitegen.output import MARKER
from sitegen.publish import (
    INCOMING_DIR,
    LOCK_FILE,
    MANIFEST_FILE,
    PENDING_FILE,
    Console,
    FolderTarget,
    Progress,
    PublishReport,
    make_plan,
    parse_manifest,
    placing_rank,
    publish_site,
    read_state,
    run_publish,
    site_manifest,
    write_archive,
)
from sitegen.publish_config import read_publish
from sitegen.publish_model import PublishSettings, PublishTarget, TargetError
from sitegen.sftp import SftpTarget, connect_sftp
from sitegen.yamlsource import load_yaml
from tests.publish_support import SshServer, StaticServer, crawl, files_with_hashes, free_port, keygen
from tests.sitebuilder import NOW, REPO, copy_sample_site, jpeg, post

PRODUCTION_URL = "https://thanhtra.example.gov.vn/vi-nguoi-ngheo/"  # base_url of the sample site_data.yaml
EDITED = "content/tin-hoat-dong/hoi-nghi-so-ket-giua-ky-phong-trao.md"
DELETED = "content/tin-hoat-dong/ung-ho-quy-den-on-dap-nghia-nam-2024.md"
DELETED_PAGE = "tin-hoat-dong/ung-ho-quy-den-on-dap-nghia-nam-2024/index.html"
NEW_PAGE = "tin-hoat-dong/trao-qua-ho-ngheo-xa-duc-minh-2026/index.html"
SITE = "Vì người nghèo"


@dataclass(frozen=True)
class Releases:
    """Two builds of the sample site: v2 edits a post, deletes one and adds one with a photo."""

    v1: Path
    v2: Path

    def files(self, built: Path) -> dict[str, tuple[int, str]]:
        return {p: v for p, v in files_with_hashes(built).items() if p != MARKER}

    @property
    def changed(self) -> set[str]:
        """Paths v2 has that v1 lacks or holds differently: what a second publish must send."""
        old = self.files(self.v1)
        return {p for p, v in self.files(self.v2).items() if old.get(p) != v}

    @property
    def removed(self) -> set[str]:
        return set(self.files(self.v1)) - set(self.files(self.v2))


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    from tests.sitebuilder import build_at

    base = tmp_path_factory.mktemp("releases")
    v1 = copy_sample_site(base / "v1")
    build_at(v1)
    v2 = copy_sample_site(base / "v2")
    edited = v2 / EDITED
    edited.write_text(edited.read_text(encoding="utf-8") + "\nĐoạn bổ sung sau hội nghị sơ kết.\n", encoding="utf-8")
    (v2 / DELETED).unlink()
    (v2 / "content/tin-hoat-dong/anh-trao-qua.jpg").write_bytes(jpeg(1200, 800, (30, 90, 160)))
    (v2 / "content/tin-hoat-dong/trao-qua-ho-ngheo-xa-duc-minh-2026.md").write_text(post(
        "Trao quà cho hộ nghèo xã Đức Minh năm 2026", "2026-10-01 08:00", "Nội dung bài mới về trao quà.",
        image='"anh-trao-qua.jpg"', image_alt='"Cán bộ trao quà cho hộ nghèo"', tags="[Đức Minh]"), encoding="utf-8")
    build_at(v2)
    return Releases(v1 / "output", v2 / "output")


@pytest.fixture(scope="session")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    server = SshServer(tmp_path_factory.mktemp("sshd")).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test reads the real ~/.ssh (keys, known_hosts) or the real SSH agent."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("SSH_AUTH_SOCK", raising=False)
    return home


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    root.mkdir()
    return root


def sftp_target(server: SshServer, remote: Path, **changes: object) -> PublishTarget:
    settings: dict[str, object] = {"name": "may-chu", "kind": "sftp", "path": str(remote), "host": "127.0.0.1",
                                   "port": server.port, "user": server.user, "key_file": str(server.client_key),
                                   "line": 40}
    settings.update(changes)
    return PublishTarget(**settings)  # type: ignore[arg-type]


def trust(project: Path, server: SshServer) -> None:
    (project / "known_hosts").write_text(server.known_hosts_line(), encoding="utf-8")


def publish(project: Path, built: Path, *targets: PublishTarget, dry_run: bool = False, trust_host: bool = False,
            keep: int = 5, minutes: int = 0) -> PublishReport:
    return publish_site(project, built, PublishSettings(targets, keep), SITE, dry_run=dry_run,
                        trust_host=trust_host, now=NOW + timedelta(minutes=minutes), progress=None)


def assert_published(target: Path, built: Path) -> None:
    """The target holds exactly the built site, its manifest says so, and nothing of a publish is left over."""
    expected = {p: v for p, v in files_with_hashes(built).items() if p != MARKER}
    assert files_with_hashes(target) == expected
    manifest = parse_manifest((target / MANIFEST_FILE).read_bytes())
    assert manifest is not None
    assert {p: (e.size, e.sha256) for p, e in manifest.files.items()} == expected
    assert not (target / PENDING_FILE).exists()
    assert not (target / LOCK_FILE).exists()
    assert not any((target / INCOMING_DIR).glob("*")) if (target / INCOMING_DIR).exists() else True


def assert_no_broken_links(target: Path) -> None:
    with StaticServer(target) as web:
        result = crawl(web.base_url, PRODUCTION_URL)
    assert result.broken == ()
    assert len(result.fetched) > 100  # the crawl really went through the site


def failure_text(failure: pytest.ExceptionInfo[BuildFailed]) -> str:
    return "\n".join(str(problem) for problem in failure.value.errors)


class CountingUploads:
    """Counts the files a target receives (monkeypatched around the real upload)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, kind: type) -> None:
        self.count = 0
        original = kind.upload

        def upload(target: object, source: Path, path: str, sent: object) -> str:
            self.count += 1
            return original(target, source, path, sent)

        monkeypatch.setattr(kind, "upload", upload)


# --- manifests and archives ---------------------------------------------------------------


def test_archive_holds_the_site_and_a_manifest_that_matches_it(releases: Releases, project: Path) -> None:
    manifest = site_manifest(releases.v1)
    archive, _ = write_archive(project, releases.v1, manifest, "Phong trào “Vì người nghèo”", NOW, keep=5)
    assert archive.name == "phong-trao-vi-nguoi-ngheo-20261129-0900.zip"
    with zipfile.ZipFile(archive) as opened:
        inside = parse_manifest(opened.read(MANIFEST_FILE))
        assert inside is not None
        members = {info.filename: info for info in opened.infolist()}
        assert set(members) == set(inside.files) | {MANIFEST_FILE}
        for path, entry in inside.files.items():
            data = opened.read(path)
            assert (len(data), hashlib.sha256(data).hexdigest()) == (entry.size, entry.sha256), path
    assert {p: (e.size, e.sha256) for p, e in inside.files.items()} == releases.files(releases.v1)
    assert MARKER not in inside.files


def test_only_the_newest_archives_are_kept(releases: Releases, project: Path) -> None:
    manifest = site_manifest(releases.v1)
    (project / "dist").mkdir()
    unrelated = project / "dist" / "ghi-chu.zip"
    unrelated.write_bytes(b"not ours")
    made = [write_archive(project, releases.v1, manifest, SITE, NOW + timedelta(days=day), keep=3)[0]
            for day in range(5)]
    assert sorted(p.name for p in (project / "dist").iterdir()) == sorted([unrelated.name] + [m.name for m in made[2:]])


def test_a_manifest_naming_files_outside_the_site_is_not_trusted() -> None:
    good = {"format": 1, "files": [{"path": "a/index.html", "size": 1, "sha256": "0" * 64}]}
    assert parse_manifest(json.dumps(good).encode()) is not None
    for bad in ("../etc/passwd", "/etc/passwd", "a/../../x", "C:/Windows/x", ".sitegen-publish/lock.json", "a\\b"):
        data = {"format": 1, "files": [{"path": bad, "size": 1, "sha256": "0" * 64}]}
        assert parse_manifest(json.dumps(data).encode()) is None, bad
    assert parse_manifest(b"{not json") is None


# --- folder targets -------------------------------------------------------------------------


def test_folder_first_publish_then_changes_then_a_deleted_post(releases: Releases, project: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    www = tmp_path / "www"
    www.mkdir()
    target = PublishTarget("o-mang", "folder", str(www))
    first = publish(project, releases.v1, target)
    assert len(first.targets[0].sent) == first.files == len(releases.files(releases.v1))
    assert_published(www, releases.v1)
    assert (www / DELETED_PAGE).is_file()

    uploads = CountingUploads(monkeypatch, FolderTarget)
    second = publish(project, releases.v2, target, minutes=5)
    assert set(second.targets[0].sent) == releases.changed
    assert uploads.count == len(releases.changed) < len(releases.files(releases.v2))
    assert set(second.targets[0].removed) == releases.removed
    assert_published(www, releases.v2)
    assert not (www / DELETED_PAGE).parent.exists()  # the deleted post's folder is gone too
    assert_no_broken_links(www)


def test_files_lost_or_damaged_on_the_target_are_sent_again(releases: Releases, project: Path,
                                                           tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    target = PublishTarget("o-mang", "folder", str(www))
    publish(project, releases.v1, target)
    css = next((www / "static" / "css").glob("site.*.css"))
    css.unlink()  # deleted by hand on the server
    (www / "index.html").write_text("<p>sửa tay</p>", encoding="utf-8")  # edited by hand
    report = publish(project, releases.v1, target)
    assert set(report.targets[0].sent) == {css.relative_to(www).as_posix(), "index.html"}
    assert_published(www, releases.v1)


def test_a_relative_folder_is_inside_the_project_but_never_one_of_its_own_folders(releases: Releases,
                                                                               project: Path) -> None:
    (project / "ban-dang").mkdir()
    publish(project, releases.v1, PublishTarget("trong-du-an", "folder", "ban-dang"))
    assert_published(project / "ban-dang", releases.v1)
    (project / "output").mkdir()
    for folder in ("output", ".", "content", ".."):
        with pytest.raises(BuildFailed) as failure:
            publish(project, releases.v1, PublishTarget("sai", "folder", folder))
        assert "thư mục dự án" in failure_text(failure), folder


def test_a_missing_folder_is_not_created(releases: Releases, project: Path, tmp_path: Path) -> None:
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, PublishTarget("o-mang", "folder", str(tmp_path / "Z" / "trang")))
    assert "không có" in failure_text(failure) and "ổ mạng" in failure_text(failure)
    assert not (tmp_path / "Z").exists()


def test_a_folder_holding_someone_elses_files_is_refused(releases: Releases, project: Path, tmp_path: Path) -> None:
    www = tmp_path / "cong"
    www.mkdir()
    (www / "index.html").write_text("<p>Trang chủ cổng thông tin</p>", encoding="utf-8")
    (www / "web.config").write_text("<configuration/>", encoding="utf-8")
    target = PublishTarget("cong", "folder", str(www))
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, target)
    assert "không do lệnh publish đăng" in failure_text(failure) and "index.html" in failure_text(failure)
    assert (www / "index.html").read_text(encoding="utf-8") == "<p>Trang chủ cổng thông tin</p>"
    (www / MARKER).write_text("", encoding="utf-8")  # a copy of output/ uploaded by hand earlier: adopted
    publish(project, releases.v1, target)
    assert files_with_hashes(www)["index.html"] == releases.files(releases.v1)["index.html"]
    assert (www / "web.config").is_file()  # never ours, never removed


def test_a_cut_while_placing_files_never_leaves_a_broken_link(releases: Releases, project: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    live = tmp_path / "live-v1"
    live.mkdir()
    publish(project, releases.v1, PublishTarget("o-mang", "folder", str(live)))
    plan = make_plan(site_manifest(releases.v2), read_state(FolderTarget(live, "o-mang")))
    ranks = [placing_rank(entry.path, (live / entry.path).exists()) for entry in plan.send]
    assert sorted(set(ranks)) == [0, 1, 2, 3, 4, 5, 6]  # v2 has files of every kind to place
    starts = [index for index in range(1, len(ranks)) if ranks[index] != ranks[index - 1]]
    cuts = sorted({1, *(start + 1 for start in starts), len(ranks) // 2} - {len(ranks)})
    original = FolderTarget.move
    for cut in cuts:  # the network fails after `cut` files were placed
        www = tmp_path / f"www-{cut}"
        shutil.copytree(live, www)
        placed = []

        def move(self: FolderTarget, source: str, path: str, limit: int = cut, placed: list = placed) -> None:
            if len(placed) == limit:
                raise TargetError("mạng bị ngắt (giả lập)")
            placed.append(path)
            original(self, source, path)

        monkeypatch.setattr(FolderTarget, "move", move)
        with pytest.raises(BuildFailed):
            publish(project, releases.v2, PublishTarget("o-mang", "folder", str(www)))
        assert len(placed) == cut
        assert_no_broken_links(www)
        monkeypatch.setattr(FolderTarget, "move", original)
        resumed = publish(project, releases.v2, PublishTarget("o-mang", "folder", str(www)))
        assert resumed.targets[0].resumed == len(plan.send) - cut  # files staged before the cut are not sent again
        assert_published(www, releases.v2)


def test_two_publishers_at_once_cannot_interleave(releases: Releases, tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    first_project, second_project = tmp_path / "may-a", tmp_path / "may-b"
    first_project.mkdir()
    second_project.mkdir()
    target = PublishTarget("o-mang", "folder", str(www))
    child = start_slow_publish(tmp_path, first_project, releases.v2, target, delay=0.005)
    try:
        wait_for(lambda: (www / LOCK_FILE).is_file() and staged_count(www) >= 2, child)
        with pytest.raises(BuildFailed) as failure:
            publish(second_project, releases.v1, target)
        text = failure_text(failure)
        assert "đang đăng lên đây" in text and "hai lệnh đăng cùng lúc" in text.lower()
        assert child.wait(timeout=60) == 0, child.stdout.read() if child.stdout else ""
    finally:
        child.kill()
    assert_published(www, releases.v2)  # the first publisher finished undisturbed
    publish(second_project, releases.v1, target)  # and the second can go once the first is done
    assert_published(www, releases.v1)


def test_stale_lock_rule(releases: Releases, project: Path, tmp_path: Path) -> None:
    www = tmp_path / "www"
    (www / ".sitegen-publish").mkdir(parents=True)
    lock = www / LOCK_FILE
    target = PublishTarget("o-mang", "folder", str(www))
    other = {"token": "abc", "host": "may-khac", "user": "bientap", "project": "D:/du-an", "started": "08:00"}
    lock.write_text(json.dumps(other), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:  # a live publisher elsewhere
        publish(project, releases.v1, target)
    assert "máy may-khac (người dùng bientap)" in failure_text(failure)
    old = time.time() - 20 * 60
    os.utime(lock, (old, old))  # not refreshed for 20 minutes: its publisher died
    publish(project, releases.v1, target)
    assert_published(www, releases.v1)
    mine = {**other, "host": socket.gethostname(), "project": str(project.resolve())}
    lock.write_text(json.dumps(mine), encoding="utf-8")  # left by this project on this machine: taken over at once
    publish(project, releases.v2, target)
    assert_published(www, releases.v2)


def test_a_publisher_whose_lock_was_taken_over_stops_before_changing_anything(
        releases: Releases, project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    www = tmp_path / "www"
    www.mkdir()
    target = PublishTarget("o-mang", "folder", str(www))
    publish(project, releases.v1, target)
    monkeypatch.setattr("sitegen.publish.REFRESH_SECONDS", 0.0)  # check the lock before every file
    original = FolderTarget.upload
    other = {"token": "khac", "host": "may-khac", "user": "bientap", "project": "D:/du-an", "started": "08:00"}

    def upload(self: FolderTarget, source: Path, path: str, sent: object) -> str:
        digest = original(self, source, path, sent)  # type: ignore[arg-type]
        (www / LOCK_FILE).write_text(json.dumps(other), encoding="utf-8")  # this laptop slept; another took over
        return digest

    monkeypatch.setattr(FolderTarget, "upload", upload)
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v2, target)
    assert "bị một lệnh đăng khác lấy mất" in failure_text(failure)
    assert files_with_hashes(www) == releases.files(releases.v1)  # not one file placed
    assert json.loads((www / LOCK_FILE).read_text(encoding="utf-8"))["token"] == "khac"  # their lock is left alone


def test_dry_run_lists_and_changes_nothing(releases: Releases, project: Path, tmp_path: Path, sshd: SshServer) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    target = sftp_target(sshd, remote)
    publish(project, releases.v1, target)
    before = files_with_hashes(remote, skip_state=False)
    archives = sorted((project / "dist").iterdir())
    report = publish(project, releases.v2, target, dry_run=True, minutes=10)
    assert files_with_hashes(remote, skip_state=False) == before
    assert sorted((project / "dist").iterdir()) == archives
    assert set(report.targets[0].sent) == releases.changed
    assert set(report.targets[0].removed) == releases.removed
    out = io.StringIO()
    Console(out=out).report(report)
    assert f"    + {NEW_PAGE}" in out.getvalue() and f"    - {DELETED_PAGE}" in out.getvalue()
    assert "chưa gửi, chưa xóa" in out.getvalue()


# --- SFTP against a real OpenSSH server ------------------------------------------------------------


def test_sftp_first_and_second_publish(releases: Releases, project: Path, tmp_path: Path, sshd: SshServer,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    target = sftp_target(sshd, remote)
    uploads = CountingUploads(monkeypatch, SftpTarget)
    first = publish(project, releases.v1, target)
    assert uploads.count == len(first.targets[0].sent) == len(releases.files(releases.v1))
    assert first.archive is not None and first.archive.is_file()
    assert_published(remote, releases.v1)
    assert_no_broken_links(remote)

    uploads.count = 0
    second = publish(project, releases.v2, target, minutes=5)
    assert uploads.count == len(releases.changed)
    assert set(second.targets[0].sent) == releases.changed
    assert set(second.targets[0].removed) == releases.removed and DELETED_PAGE in releases.removed
    assert_published(remote, releases.v2)
    assert not (remote / DELETED_PAGE).exists()
    assert_no_broken_links(remote)

    uploads.count = 0
    third = publish(project, releases.v2, target, minutes=6)
    assert uploads.count == 0 and third.targets[0].sent == () and third.targets[0].removed == ()


def test_sftp_publish_killed_halfway_then_resumed(releases: Releases, project: Path, tmp_path: Path,
                                                  sshd: SshServer, monkeypatch: pytest.MonkeyPatch) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    target = sftp_target(sshd, remote)
    publish(project, releases.v1, target)
    child = start_slow_publish(tmp_path, project, releases.v2, target, delay=0.05)
    try:
        wait_for(lambda: staged_count(remote) >= 10, child)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    staged = staged_count(remote)
    assert 10 <= staged < len(releases.changed)
    assert files_with_hashes(remote) == releases.files(releases.v1)  # the live site is still the previous release
    assert_no_broken_links(remote)
    assert (remote / LOCK_FILE).is_file()  # the killed publisher's lock is still there…

    uploads = CountingUploads(monkeypatch, SftpTarget)
    resumed = publish(project, releases.v2, target, minutes=5)  # …and this project's next run takes it over
    assert resumed.targets[0].resumed == staged
    assert uploads.count == len(releases.changed) - resumed.targets[0].resumed
    assert_published(remote, releases.v2)
    assert_no_broken_links(remote)


def test_sftp_connection_dropped_while_placing_then_resumed(releases: Releases, project: Path, tmp_path: Path,
                                                            sshd: SshServer, monkeypatch: pytest.MonkeyPatch) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    target = sftp_target(sshd, remote)
    publish(project, releases.v1, target)
    original = SftpTarget.move
    moves = 0
    half = len(releases.changed) // 2

    def move(self: SftpTarget, source: str, path: str) -> None:
        nonlocal moves
        moves += 1
        if moves == half:
            self.drop_connection()  # the network goes away mid-publish
        original(self, source, path)

    monkeypatch.setattr(SftpTarget, "move", move)
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v2, target, minutes=5)
    assert "mất kết nối tới máy chủ 127.0.0.1" in failure_text(failure)
    assert "chạy lại lệnh publish" in failure_text(failure)
    now = files_with_hashes(remote)
    assert now != releases.files(releases.v1) and now != releases.files(releases.v2)  # a mix…
    assert_no_broken_links(remote)  # …in which no page links to a missing file
    monkeypatch.setattr(SftpTarget, "move", original)
    publish(project, releases.v2, target, minutes=6)
    assert_published(remote, releases.v2)
    assert_no_broken_links(remote)


def test_wrong_credentials(releases: Releases, project: Path, tmp_path: Path, sshd: SshServer,
                           monkeypatch: pytest.MonkeyPatch) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    stranger = keygen(tmp_path / "khoa-la")
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, remote, key_file=str(stranger)))
    text = failure_text(failure)
    assert text.startswith("site_data.yaml:40: nơi đăng 'may-chu': ")
    assert f"từ chối đăng nhập của tài khoản '{sshd.user}'" in text and "authorized_keys" in text
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, remote, key_file="", password_env="VNN_MAT_KHAU_THU"))
    assert "biến môi trường VNN_MAT_KHAU_THU" in failure_text(failure) and "chưa được đặt" in failure_text(failure)
    monkeypatch.setenv("VNN_MAT_KHAU_THU", "sai-mat-khau")
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, remote, key_file="", password_env="VNN_MAT_KHAU_THU"))
    assert "từ chối đăng nhập" in failure_text(failure) and "VNN_MAT_KHAU_THU sai" in failure_text(failure)
    inside = project / "khoa"
    shutil.copy(sshd.client_key, inside)
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, remote, key_file=str(inside)))
    assert "nằm trong thư mục dự án" in failure_text(failure)
    assert list(remote.iterdir()) == []


def test_a_key_locked_by_a_passphrase_takes_it_from_the_environment(releases: Releases, project: Path,
                                                                     tmp_path: Path, sshd: SshServer,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    locked = keygen(tmp_path / "khoa-co-mat-khau", passphrase="mat-khau-khoa")
    with sshd.authorized_keys.open("a") as keys:
        keys.write(locked.with_suffix(".pub").read_text())
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, remote, key_file=str(locked)))
    assert "được khóa bằng mật khẩu" in failure_text(failure) and "password_env" in failure_text(failure)
    monkeypatch.setenv("VNN_MAT_KHAU_KHOA", "mat-khau-khoa")
    publish(project, releases.v1, sftp_target(sshd, remote, key_file=str(locked), password_env="VNN_MAT_KHAU_KHOA"))
    assert_published(remote, releases.v1)


def test_unknown_host_key_is_refused_until_trusted_once(releases: Releases, project: Path, tmp_path: Path,
                                                        sshd: SshServer, private_home: Path) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    target = sftp_target(sshd, remote)
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, target)
    text = failure_text(failure)
    assert "chưa được tin cậy" in text and sshd.host_fingerprint in text
    assert "python build.py publish --trust-host" in text
    assert list(remote.iterdir()) == [] and not (project / "known_hosts").exists()

    report = publish(project, releases.v1, target, trust_host=True)
    assert report.targets[0].trusted == sshd.host_fingerprint
    assert sshd.known_hosts_line().split()[2] in (project / "known_hosts").read_text(encoding="utf-8")
    assert not (private_home / ".ssh").exists()  # only the project's file is written
    assert_published(remote, releases.v1)
    assert publish(project, releases.v2, target).targets[0].trusted == ""  # trusted from now on
    assert_published(remote, releases.v2)


def test_a_pinned_fingerprint_is_enough_and_must_match(releases: Releases, project: Path, tmp_path: Path,
                                                      sshd: SshServer) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    wrong = "SHA256:" + "A" * 43
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, remote, fingerprint=wrong))
    assert "khác với 'fingerprint'" in failure_text(failure) and "mạo danh" in failure_text(failure)
    publish(project, releases.v1, sftp_target(sshd, remote, fingerprint=sshd.host_fingerprint))
    assert_published(remote, releases.v1)


def test_changed_host_key_is_refused_even_with_trust_host(releases: Releases, project: Path,
                                                          tmp_path: Path) -> None:
    server = SshServer(tmp_path / "sshd-doi-khoa").start()
    try:
        remote = tmp_path / "remote"
        remote.mkdir()
        target = sftp_target(server, remote)
        publish(project, releases.v1, target, trust_host=True)
        old = server.host_fingerprint
        server.new_host_key()
        for trust_host in (False, True):
            with pytest.raises(BuildFailed) as failure:
                publish(project, releases.v2, target, trust_host=trust_host)
            text = failure_text(failure)
            assert "ĐÃ THAY ĐỔI" in text and server.host_fingerprint in text and old in text
            assert "tấn công xen giữa" in text and "known_hosts của dự án" in text
        assert_published(remote, releases.v1)
    finally:
        server.stop()


def test_unreachable_server_gives_a_plain_message_and_no_noise(releases: Releases, project: Path, tmp_path: Path,
                                                               sshd: SshServer, capfd: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, remote, port=free_port()))
    assert "từ chối kết nối" in failure_text(failure)
    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never speaks SSH
    monkeypatch.setattr("sitegen.sftp.CONNECT_TIMEOUT", 1.0)
    try:
        with pytest.raises(BuildFailed) as failure:
            publish(project, releases.v1, sftp_target(sshd, remote, port=silent.getsockname()[1]))
    finally:
        silent.close()
    assert "không trả lời" in failure_text(failure)
    with pytest.raises(BuildFailed) as failure:
        publish(project, releases.v1, sftp_target(sshd, tmp_path / "khong-co"))
    assert "không có trên máy chủ" in failure_text(failure)
    captured = capfd.readouterr()
    assert captured.out == "" and captured.err == ""  # paramiko's own logging never reaches staff


def test_server_refusals_while_writing_are_explained(sshd: SshServer, project: Path, tmp_path: Path) -> None:
    """Permission and disk-full answers of a real session (root ignores file modes, so the answers are injected)."""
    remote = tmp_path / "remote"
    remote.mkdir()
    trust(project, sshd)
    opened = connect_sftp(sftp_target(sshd, remote), project, trust_host=False).target
    try:
        answers = {PermissionError(errno.EACCES, "Permission denied"): "không có quyền ghi vào thư mục",
                   OSError("Failure"): "ổ đĩa trên máy chủ đã đầy hoặc tài khoản"}
        for answer, expected in answers.items():
            with pytest.raises(TargetError) as failure, opened._doing("gửi", "index.html", writing=True):
                raise answer
            assert expected in failure.value.message and f"'{sshd.user}'" in failure.value.message
        opened.drop_connection()
        with pytest.raises(TargetError) as failure:
            opened.upload(REPO / "README.md", "README.md", lambda _: None)
        assert "mất kết nối tới máy chủ 127.0.0.1" in failure.value.message
    finally:
        opened.close()


# --- configuration ---------------------------------------------------------------------------------


def read(text: str) -> tuple[PublishSettings, Diagnostics]:
    diagnostics = Diagnostics()
    data = load_yaml(text, "site_data.yaml")
    reader = FieldReader(data, "site_data.yaml", diagnostics).child("publish")
    return read_publish(reader), diagnostics


def test_publish_settings_are_read_with_their_lines() -> None:
    settings, diagnostics = read("""\
publish:
  keep_archives: 3
  targets:
    - name: cong-thong-tin
      kind: sftp
      host: thanhtra.example.gov.vn
      port: 2222
      user: bientap
      path: /var/www/html/vi-nguoi-ngheo
      key: ~/.ssh/id_ed25519
      password_env: VNN_MAT_KHAU
    - name: o-mang
      kind: folder
      path: "Z:/vi-nguoi-ngheo"
""")
    assert diagnostics.errors == [] and diagnostics.warnings == []
    assert settings.keep_archives == 3
    sftp, folder = settings.targets
    assert (sftp.kind, sftp.host, sftp.port, sftp.user, sftp.key_file, sftp.password_env, sftp.line) == \
        ("sftp", "thanhtra.example.gov.vn", 2222, "bientap", "~/.ssh/id_ed25519", "VNN_MAT_KHAU", 4)
    assert sftp.address == "sftp://bientap@thanhtra.example.gov.vn:2222/var/www/html/vi-nguoi-ngheo"
    assert (folder.kind, folder.path) == ("folder", "Z:/vi-nguoi-ngheo")
    assert read("site: {}\n")[0] == PublishSettings()


def test_secrets_in_site_data_are_errors_that_say_what_to_do() -> None:
    _, diagnostics = read("""\
publish:
  targets:
    - name: cong
      kind: sftp
      host: thanhtra.example.gov.vn
      user: bientap
      path: /var/www
      password: "MatKhau@2025"
    - name: cong-2
      kind: sftp
      host: sftp://thanhtra.example.gov.vn
      user: bientap
      path: /var/www
      password_env: "MatKhau@2025"
      key: "-----BEGIN OPENSSH PRIVATE KEY-----"
    - name: o
      kind: ftp
      path: x
    - name: o-mang
      kind: folder
    - name: cong-3
      kind: folder
      path: x
    - name: cong-3
      kind: folder
      path: y
""")
    messages = [str(problem) for problem in diagnostics.errors]
    assert messages[0].startswith("site_data.yaml:8: ") and "không ghi mật khẩu" in messages[0]
    assert "password_env" in messages[0] and "biến môi trường" in messages[0]
    assert any(m.startswith("site_data.yaml:11: ") and "không ghi sftp://" in m for m in messages)
    assert any(m.startswith("site_data.yaml:14: ") and "TÊN một biến môi trường" in m for m in messages)
    assert any(m.startswith("site_data.yaml:15: ") and "khóa riêng" in m for m in messages)
    assert any(m.startswith("site_data.yaml:17: ") and "loại nơi đăng 'ftp'" in m for m in messages)
    assert any("thiếu mục bắt buộc 'publish.targets[4].path'" in m for m in messages)
    assert any(m.startswith("site_data.yaml:24: ") and "'cong-3' bị khai báo hai lần" in m for m in messages)
    assert len(messages) == 7
    assert "MatKhau@2025" not in "\n".join(messages)  # a secret is never echoed back


# --- the command -------------------------------------------------------------------------------------


def test_run_publish_prints_vietnamese_and_returns_exit_codes(releases: Releases, project: Path,
                                                              tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    settings = PublishSettings((PublishTarget("o-mang", "folder", str(www)),), 5)
    out, err = io.StringIO(), io.StringIO()
    code = run_publish(project, dry_run=False, trust_host=False, build_and_check=lambda: (releases.v1, settings, SITE),
                       console=Console(out, err))
    assert code == 0 and err.getvalue() == ""
    assert "Đã đăng lên 'o-mang': gửi" in out.getvalue() and "Đã tạo tệp nén bản phát hành dist/" in out.getvalue()
    assert "█" not in out.getvalue() and "\r" not in out.getvalue()  # no progress bar when not on a terminal
    assert_published(www, releases.v1)

    def broken() -> tuple[Path, PublishSettings, str]:
        raise BuildFailed([Problem("content/tin-hoat-dong/x.md", 7, "liên kết hỏng")])

    out, err = io.StringIO(), io.StringIO()
    assert run_publish(project, dry_run=False, trust_host=False, build_and_check=broken,
                       console=Console(out, err)) == 1
    assert "Không đăng: trang còn 1 lỗi" in err.getvalue()
    assert "content/tin-hoat-dong/x.md:7: liên kết hỏng" in err.getvalue()

    def bug() -> tuple[Path, PublishSettings, str]:
        raise ZeroDivisionError("division by zero")

    out, err = io.StringIO(), io.StringIO()
    assert run_publish(project, dry_run=False, trust_host=False, build_and_check=bug, console=Console(out, err)) == 3
    assert "Lỗi nội bộ" in err.getvalue() and "Traceback" not in err.getvalue() + out.getvalue()

    bad = PublishSettings((PublishTarget("o-mang", "folder", str(tmp_path / "khong-co")),), 5)
    out, err = io.StringIO(), io.StringIO()
    assert run_publish(project, dry_run=False, trust_host=False, build_and_check=lambda: (releases.v2, bad, SITE),
                       console=Console(out, err)) == 1
    assert err.getvalue().startswith("Đăng chưa xong:\n  site_data.yaml: nơi đăng 'o-mang': thư mục")


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal() -> None:
    out = _Terminal()
    console = Console(out=out)
    console.bar(Progress("o-mang", 150, 300, 3 * 1024 * 1024, 6 * 1024 * 1024))
    console.line("Đã đăng lên 'o-mang'")
    text = out.getvalue()
    assert " 50%  150/300 tệp, 3,0\u00a0MB/6,0\u00a0MB" in text
    assert text.endswith("\rĐã đăng lên 'o-mang'\n")  # the bar is cleared before the next line


# --- helpers for the tests that run a second publisher ---------------------------------------------


def start_slow_publish(tmp_path: Path, project: Path, built: Path, target: PublishTarget,
                       delay: float) -> subprocess.Popen[str]:
    spec = tmp_path / f"slow-{time.monotonic_ns()}.json"
    spec.write_text(json.dumps({"root": str(project), "built": str(built), "delay": delay,
                                "now": (NOW + timedelta(minutes=3)).isoformat(),
                                "targets": [dataclasses.asdict(target)]}), encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen([sys.executable, "-m", "tests.publish_support", "slow-publish", str(spec)], cwd=REPO,
                            env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def staged_count(target: Path) -> int:
    incoming = target / INCOMING_DIR
    return sum(1 for p in incoming.iterdir() if not p.name.endswith(".part")) if incoming.is_dir() else 0


def wait_for(condition: object, child: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        if child.poll() is not None:
            raise AssertionError(f"the publisher ended too early:\n{child.stdout.read() if child.stdout else ''}")
        time.sleep(0.01)
    raise AssertionError("timed out waiting for the publisher")
