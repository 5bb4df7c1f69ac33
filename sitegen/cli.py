"""The command line used by build.py: Vietnamese help, summaries and error lists."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from sitegen.build_report import changed_files
from sitegen.config import load_settings, normalise_base_url
from sitegen.console import forgive_closed_readers, make_console_safe
from sitegen.errors import BuildFailed, Diagnostics, Problem
from sitegen.lock import LockBusy
from sitegen.model import BuildOptions
from sitegen.pipeline import BuildReport, Step, build
from sitegen.progress_line import ProgressLine
from sitegen.text import format_number

_ARGPARSE_VI = {
    "usage: ": "Cách dùng: ",
    "positional arguments": "tham số",
    "options": "tùy chọn",
    "show this help message and exit": "hiện hướng dẫn này rồi thoát",
    "%(prog)s: error: %(message)s\n": "%(prog)s: lỗi: %(message)s\n",
    "unrecognized arguments: %s": "không hiểu tham số: %s",
    "the following arguments are required: %s": "thiếu tham số bắt buộc: %s",
    "expected one argument": "cần một giá trị đi kèm",
    "argument %(argument_name)s: %(message)s": "tham số %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "lệnh không có: %(value)r (chọn một trong: %(choices)s)",
    "ambiguous option: %(option)s could match %(matches)s":
        "tùy chọn mơ hồ: %(option)s có thể là %(matches)s",
    "invalid %(type)s value: %(value)r": "giá trị không hợp lệ: %(value)r",
    "invalid float value: %r": "không phải số: %r",
}


MAX_SHOWN = 100  # problems listed before "… và N lỗi khác"


def _translate(message: str) -> str:
    return _ARGPARSE_VI.get(message, message)


argparse._ = _translate  # type: ignore[attr-defined]  # argparse looks its messages up here


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Tạo trang web tĩnh của phong trào thi đua “Vì người nghèo – Không để ai bị "
                    "bỏ lại phía sau” từ content/, templates/ và site_data.yaml.",
        epilog="Không ghi lệnh nào thì mặc định là 'build'. Xem thêm README.md.",
    )
    commands = parser.add_subparsers(dest="command", title="các lệnh", metavar="LỆNH")
    build_parser = commands.add_parser(
        "build", help="dựng toàn bộ trang vào output/ (mặc định)",
        description="Dựng toàn bộ trang vào output/. Trang mới được dựng ở thư mục tạm bên cạnh và "
                    "chỉ thay output/ khi mọi thứ thành công; nếu có lỗi, output/ giữ nguyên bản cũ.")
    build_parser.add_argument("--drafts", action="store_true",
                              help="dựng cả bài nháp (draft: true) để xem trước")
    build_parser.add_argument("--future", action="store_true",
                              help="dựng cả bài hẹn giờ có ngày đăng trong tương lai")
    build_parser.add_argument("--base-url", metavar="ĐỊA_CHỈ",
                              help="địa chỉ gốc nơi đăng trang, thay cho base_url trong "
                                   "site_data.yaml, ví dụ https://cong.example.gov.vn/vi-nguoi-ngheo/")
    build_parser.add_argument("--output", metavar="THƯ_MỤC", default="output",
                              help="thư mục xuất, bên trong dự án (mặc định: output)")
    build_parser.add_argument("--root", metavar="THƯ_MỤC", default=None,
                              help="thư mục dự án (mặc định: thư mục chứa build.py)")
    build_parser.add_argument("--wait", metavar="GIÂY", type=float, default=60.0,
                              help="nếu đang có lần dựng khác của dự án, chờ tối đa chừng ấy giây rồi thôi "
                                   "(mặc định: 60)")
    build_parser.add_argument("--clean", action="store_true",
                              help="bỏ qua những gì lần dựng trước ghi nhớ trong .cache/, dựng lại từ đầu")
    build_parser.add_argument("--debug", action="store_true",
                              help="khi có lỗi nội bộ, in chi tiết kỹ thuật cho người phát triển")
    publish_parser = commands.add_parser(
        "publish", help="dựng, kiểm tra rồi đăng trang lên cổng thông tin",
        description="Dựng trang với cấu hình chính thức (base_url trong site_data.yaml, không có bài nháp, bài "
                    "hẹn giờ), kiểm tra toàn bộ, tạo tệp nén trong dist/ rồi gửi lên các nơi đăng ở mục publish "
                    "của site_data.yaml. Còn lỗi thì không đăng. Xem docs/dang-trang.md.")
    publish_parser.add_argument("--dry-run", action="store_true",
                                help="chỉ liệt kê tệp sẽ gửi và tệp sẽ xóa; không gửi, không xóa, không tạo tệp nén")
    publish_parser.add_argument("--trust-host", action="store_true",
                                help="tin cậy máy chủ SFTP chưa biết, sau khi đã so vân tay khóa với quản trị máy "
                                     "chủ; khóa được ghi vào tệp known_hosts của dự án")
    import_parser = commands.add_parser(
        "import", help="nhập tệp Word (.docx) thành bài nháp trong content/",
        description="Đọc một tệp Word (.docx) và viết thành bài nháp (draft: true) trong content/<chuyên mục>/, kèm "
                    "thư mục ảnh của tài liệu; không bao giờ ghi đè bài đã có. Không ghi --section thì tài liệu có "
                    "phần đầu văn bản hành chính (số, ký hiệu; ngày ban hành) vào chuyên mục văn bản, tài liệu khác "
                    "vào chuyên mục tin bài đầu tiên trong site_data.yaml. Xem docs/nhap-tu-word.md.")
    import_parser.add_argument("file", metavar="TỆP_WORD", help="tệp .docx cần nhập (tên có dấu cách thì để trong "
                                                                "ngoặc kép)")
    import_parser.add_argument("--section", metavar="CHUYÊN_MỤC",
                               help="mã hoặc tên chuyên mục nhận bài, ví dụ tin-hoat-dong")
    import_parser.add_argument("--title", metavar="TIÊU_ĐỀ", help="tiêu đề bài, thay cho tiêu đề lấy từ tài liệu")
    new_parser = commands.add_parser(
        "new", help="tạo bài mới (bản nháp) trong một chuyên mục",
        description="Tạo tệp content/<chuyên mục>/<tên-bài>.md với phần đầu bài (front matter) điền sẵn theo loại "
                    "chuyên mục và draft: true. Không bao giờ ghi đè tệp đã có.")
    new_parser.add_argument("section", metavar="CHUYÊN_MỤC", help="mã chuyên mục, ví dụ tin-hoat-dong")
    new_parser.add_argument("title", metavar="TIÊU_ĐỀ", help="tiêu đề bài, đặt trong ngoặc kép")
    check_parser = commands.add_parser(
        "check", help="kiểm tra toàn bộ trang trước khi đăng (không đụng đến output/)",
        description="Dựng thử toàn bộ trang mà không thay output/, rồi báo mọi lỗi và cảnh báo kèm tệp và dòng: "
                    "liên kết hỏng, ảnh thiếu hoặc thiếu mô tả, bài thiếu tóm tắt, tiêu đề trùng, phần đầu bài sai, "
                    "văn bản được dẫn mà không có. Trả mã 0 khi không có lỗi, 1 khi có lỗi.")
    check_parser.add_argument("--strict", action="store_true", help="coi cảnh báo cũng là lỗi (trả mã 1)")
    serve_parser = commands.add_parser(
        "serve", help="xem trước trang trên máy, tự tải lại khi lưu tệp",
        description="Dựng trang (có cả bài nháp và bài hẹn giờ, kèm dải nhãn) vào .sitegen-preview/, mở máy chủ "
                    "xem trước tại 127.0.0.1 và tự tải lại trang đang mở mỗi khi lưu bài, mẫu, ảnh hay "
                    "site_data.yaml. Không bao giờ đụng đến output/. Dừng bằng Ctrl+C.")
    serve_parser.add_argument("--port", type=int, default=8000, metavar="CỔNG",
                              help="cổng muốn dùng; đang bận thì dùng cổng trống kế tiếp (mặc định: 8000)")
    serve_parser.add_argument("--host", default="127.0.0.1", metavar="ĐỊA_CHỈ",
                              help="địa chỉ lắng nghe (mặc định: 127.0.0.1, chỉ máy này xem được)")
    serve_parser.add_argument("--open", action="store_true", help="mở trình duyệt sau khi dựng xong")
    for sub in (build_parser, check_parser):
        sub.add_argument("--quiet", action="store_true", help="chỉ in lỗi, không in tiến độ và tóm tắt")
    build_parser.add_argument("--verbose", action="store_true",
                              help="in từng bước, thời gian của mỗi bước và danh sách tệp thay đổi")
    for sub in (publish_parser, import_parser, new_parser, check_parser, serve_parser):
        sub.add_argument("--root", metavar="THƯ_MỤC", default=None,
                         help="thư mục dự án (mặc định: thư mục chứa build.py)")
        sub.add_argument("--debug", action="store_true",
                         help="khi có lỗi nội bộ, in chi tiết kỹ thuật cho người phát triển")
    return parser


_NEW_OPTIONS = ("--root", "--debug", "-h", "--help", "--")


def _titles_kept(args: list[str]) -> list[str]:
    """`new tin-hoat-dong "-30% hộ nghèo"`: a title starting with "-" is a title, not an unknown option."""
    if not args or args[0] != "new" or "--" in args:
        return args
    kept = list(args)
    for index, word in enumerate(kept[1:], 1):
        if word.startswith("-") and word.split("=", 1)[0] not in _NEW_OPTIONS and kept[index - 1] != "--root" \
                and len(word) > 1:
            return [*kept[:index], *kept[index + 1:], "--", word]  # the title is the last positional
    return kept


def main(argv: Sequence[str] | None = None, default_root: Path | None = None) -> int:
    """Run a command; return the exit code (0 ok, 1 build errors, 2 usage, 3 internal error, 4 another build is
    running, 130 stopped)."""
    make_console_safe()
    process_ends = argv is None  # the command line itself: the process ends after this build
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (args_list[0].startswith("-") and args_list[0] not in ("-h", "--help")):
        args_list.insert(0, "build")
    args = _parser().parse_args(_titles_kept(args_list))
    if process_ends and args.command == "build":  # `build | head`; serve and publish keep their streams as they are
        forgive_closed_readers()
    root = Path(args.root) if args.root else (default_root or Path.cwd())
    if not root.is_dir():
        shown = args.root or str(root)
        said = (f"'{shown}' là một tệp, không phải thư mục dự án" if root.exists()
                else f"Không tìm thấy thư mục dự án '{shown}'")
        print(f"{said}. Hãy kiểm tra đường dẫn ghi sau --root (thư mục chứa site_data.yaml, content/ và "
              "templates/).", file=sys.stderr)
        return 2
    if args.command == "import":
        from sitegen.wordimport import run_import  # mammoth is loaded only for this command

        return _guarded(args, lambda: run_import(root, args.file, args.section, args.title),
                        "Không có bài nào bị ghi đè.")
    if args.command == "publish":
        return _publish(root, args)
    if args.command == "new":
        from sitegen.new_post import run_new

        return _guarded(args, lambda: run_new(root, args.section, args.title), "Không có tệp nào bị ghi đè.")
    if args.command == "check":
        from sitegen.check import run_check

        return _guarded(args, lambda: run_check(root, strict=args.strict, quiet=args.quiet),
                        "Thư mục output/ không bị đụng đến.")
    if args.command == "serve":
        from sitegen.serve import run_serve  # livereload and tornado are loaded only for this command

        return _guarded(args, lambda: run_serve(root, host=args.host, port=args.port, open_browser=args.open),
                        "Thư mục output/ không bị đụng đến.")
    if args.base_url is not None and normalise_base_url(args.base_url) is None:
        message = (f"'{args.base_url}' không phải địa chỉ web đầy đủ, "
                   "ví dụ https://cong.example.gov.vn/vi-nguoi-ngheo/")
        _print_failure([Problem("--base-url", None, message)], ())
        return 2
    options = BuildOptions(root=root, output=root / args.output, drafts=args.drafts,
                           future=args.future, base_url=args.base_url, lock_wait=max(0.0, args.wait),
                           clean=args.clean)
    progress = ProgressLine(sys.stderr, live=_is_terminal(sys.stderr) and not args.quiet, verbose=args.verbose)
    try:
        report = build(options, progress=progress, process_ends=process_ends)
    except BuildFailed as failure:
        progress.clear()
        _print_failure(failure.errors, failure.warnings)
        return 1
    except LockBusy as busy:
        print(f"Không dựng được trang: {busy.problem}", file=sys.stderr)
        return 4
    except KeyboardInterrupt:
        print("\nĐã dừng giữa chừng. Thư mục output/ vẫn giữ nguyên bản cũ.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug of ours, not bad input: say so plainly
        if args.debug:
            traceback.print_exc()
        print(f"Lỗi nội bộ của trình tạo trang ({type(error).__name__}: {error}). Thư mục output/ "
              "vẫn giữ nguyên bản cũ. Hãy báo cho người phát triển, kèm kết quả của lệnh chạy lại "
              "với --debug.", file=sys.stderr)
        return 3
    finally:
        progress.clear()
    if args.quiet:
        return 0
    _print_report(report, root)
    if args.verbose:
        _print_details(report)
    if args.drafts or args.future:
        print("Lưu ý: bản dựng này có bài nháp hoặc bài hẹn giờ, chỉ để xem trước; đừng đăng thư mục "
              "này lên cổng thông tin (dựng lại không có --drafts/--future trước khi đăng).")
    return 0


def _guarded(args: argparse.Namespace, command: Callable[[], int], reassurance: str) -> int:
    """Run a command that reports its own problems; Ctrl+C and a bug of ours are said plainly."""
    try:
        return command()
    except KeyboardInterrupt:
        print(f"\nĐã dừng giữa chừng. {reassurance}", file=sys.stderr)
        return 130
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        print(f"Lỗi nội bộ của trình tạo trang ({type(error).__name__}: {error}). {reassurance} Hãy báo cho người "
              "phát triển, kèm kết quả của lệnh chạy lại với --debug.", file=sys.stderr)
        return 3


def _publish(root: Path, args: argparse.Namespace) -> int:
    """`publish`: a production build (drafts and future posts left out), then run_publish."""
    from sitegen.publish import run_publish  # paramiko is loaded only for this command
    from sitegen.publish_model import PublishSettings

    def build_and_check() -> tuple[Path, PublishSettings, str]:
        report = build(BuildOptions(root=root, output=root / "output"), progress=_waiting_notice)
        _print_report(report, root)
        settings = load_settings(root, Diagnostics())
        return report.output, settings.publish, settings.short_title

    return run_publish(root, dry_run=args.dry_run, trust_host=args.trust_host, build_and_check=build_and_check,
                       debug=args.debug)


def _waiting_notice(message: str | Step) -> None:
    """Only the wait for another build is worth a line while publishing (it has its own progress)."""
    if isinstance(message, str) and message.startswith("Đang chờ"):
        print(message, file=sys.stderr, flush=True)


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def _print_details(report: BuildReport) -> None:
    """--verbose: the time of each stage and the files that changed."""
    print("Thời gian từng bước: " + ", ".join(f"{t.name} {format_number(t.seconds, 2)} giây" for t in report.timings))
    written = report.written
    if written is None:
        return
    for files, what in ((written.added, "mới"), (written.changed, "sửa"), (written.removed, "bỏ đi")):
        for name in files[:50]:
            print(f"  {what}: {name}")
        if len(files) > 50:
            print(f"  … và {len(files) - 50} tệp {what} khác")


def _print_report(report: BuildReport, root: Path) -> None:
    try:
        shown = report.output.relative_to(root.resolve()).as_posix()
    except ValueError:
        shown = str(report.output)
    seconds = format_number(report.seconds, 2)
    print(f"Đã dựng xong {format_number(report.pages)} trang ({format_number(report.files)} tệp) "
          f"vào {shown}/ trong {seconds} giây.")
    print(f"  {_changes(report)}")
    if report.left_out:
        print(f"Chưa đăng {report.left_out} bài nháp hoặc hẹn giờ "
              "(thêm --drafts hoặc --future để xem trước):")
        for source, why in report.held_back[:20]:
            print(f"  {source}: {why}")
        if len(report.held_back) > 20:
            print(f"  … và {len(report.held_back) - 20} bài khác")
    _print_warnings(report.warnings)


def _changes(report: BuildReport) -> str:
    """What this build changed in the output folder, in one line."""
    changed = changed_files(report)
    return f"Thay đổi: {changed}." if changed else "Không có gì thay đổi so với lần dựng trước."


def _print_warnings(warnings: Sequence[Problem]) -> None:
    if warnings:
        print(f"Cảnh báo ({len(warnings)}):")
        for warning in warnings:
            print(f"  {warning}")


def _print_failure(errors: Sequence[Problem], warnings: Sequence[Problem]) -> None:
    print(f"Không dựng được trang: {len(errors)} lỗi. Thư mục output/ vẫn giữ nguyên bản cũ.",
          file=sys.stderr)
    for error in errors[:MAX_SHOWN]:
        print(f"  {error}", file=sys.stderr)
    if len(errors) > MAX_SHOWN:
        print(f"  … và {len(errors) - MAX_SHOWN} lỗi khác (sửa các lỗi trên rồi dựng lại để xem tiếp)",
              file=sys.stderr)
    if warnings:
        print(f"Cảnh báo ({len(warnings)}):", file=sys.stderr)
        for warning in warnings:
            print(f"  {warning}", file=sys.stderr)
