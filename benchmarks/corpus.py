"""A deterministic benchmark project: the repo's templates and settings plus N generated Vietnamese posts."""

from __future__ import annotations

import random
import shutil
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

POST_SECTIONS = ("tuyen-truyen", "tin-hoat-dong")
PROFILE_SECTION = "dien-hinh"
DOCUMENT_SECTION = "van-ban"
PAGES_FOLDER = "trang"

TAGS = (
    "Tết", "Bon Jun Júh", "Xã Đức Minh", "Nông thôn mới", "Quỹ Vì người nghèo", "Đền ơn đáp nghĩa",
    "Bếp ăn tình thương", "Khen thưởng", "Sơ kết", "Tổng kết", "Công đoàn", "Chi đoàn", "Thăm hỏi",
    "Tặng quà", "Giảm nghèo bền vững", "Nhà đại đoàn kết", "Học bổng", "Khuyến học", "An sinh xã hội",
    "Người cao tuổi", "Trẻ em", "Đồng bào dân tộc thiểu số", "Sinh kế", "Chăn nuôi", "Cây giống",
    "Nước sạch", "Giao thông nông thôn", "Chuyển đổi số", "Y tế", "Bảo hiểm y tế", "Việc làm", "Dạy nghề",
    "Hội nghị", "Kế hoạch", "Dân vận khéo", "Tháng cao điểm", "Trung thu", "Mùa khô", "Phụ nữ",
    "Tình nguyện",
)

PLACES = (
    "bon Jun Júh, xã Đức Minh", "xã Đức Minh", "thôn 3, xã Đức Minh", "bon kết nghĩa Jun Júh",
    "thôn Đức Hòa, xã Đức Minh", "các thôn, bon của xã Đức Minh",
)
UNITS = (
    "Văn phòng Thanh tra tỉnh", "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Nghiệp vụ 3",
    "Phòng Tiếp công dân", "Công đoàn cơ sở Thanh tra tỉnh", "Chi đoàn Thanh tra tỉnh",
)
FUNDS = ("Vì người nghèo", "Đền ơn đáp nghĩa", "Bếp ăn tình thương")
OCCASIONS = (
    "Tết Nguyên đán", "Tết Trung thu", "Ngày Thương binh – Liệt sĩ 27/7", "Ngày vì người nghèo 17/10",
    "đầu năm học mới", "Tháng cao điểm vì người nghèo", "mùa khô",
)
ROLES = (
    "Chánh Thanh tra tỉnh", "Phó Chánh Thanh tra tỉnh", "Chủ tịch Công đoàn cơ sở", "Bí thư Chi đoàn",
    "Chủ tịch Ủy ban nhân dân xã Đức Minh", "già làng bon Jun Júh", "Trưởng bon Jun Júh",
    "Chánh Văn phòng Thanh tra tỉnh", "Trưởng thôn 3", "đại diện Hội Phụ nữ xã",
)
GIFTS = ("gạo", "dầu ăn", "chăn ấm", "sách vở", "áo ấm", "mì gói", "sữa", "cây giống", "con giống")

SENTENCES = (
    "Đoàn công tác của Thanh tra tỉnh do {role} làm trưởng đoàn đã đến thăm hỏi, tặng quà các hộ nghèo tại {place}.",
    "Mỗi suất quà gồm {gift}, {gift2} và tiền mặt trị giá {money} đồng, được trao tận tay từng hộ.",
    "Tổng cộng {n} suất quà đã được trao cho các hộ nghèo, hộ cận nghèo và gia đình chính sách trên địa bàn.",
    "Cán bộ, công chức, người lao động trong cơ quan tự nguyện ủng hộ Quỹ “{fund}” với tổng số tiền {money} đồng.",
    "Phát biểu tại buổi trao quà, {role} ghi nhận những nỗ lực vươn lên thoát nghèo của bà con.",
    "Thay mặt các hộ được hỗ trợ, {role} cảm ơn tấm lòng của cán bộ, công chức Thanh tra tỉnh.",
    "Xã Đức Minh đã hoàn thành {n} trên 19 tiêu chí của Bộ tiêu chí quốc gia về xã nông thôn mới.",
    "Các tuyến đường liên thôn được bê tông hóa, tạo điều kiện thuận lợi cho bà con đi lại và vận chuyển nông sản.",
    "Nhiều hộ đồng bào dân tộc thiểu số tại bon Jun Júh đã mạnh dạn chuyển đổi cây trồng, nâng cao thu nhập.",
    "Phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau” được triển khai sâu rộng đến từng phòng, "
    "đơn vị.",
    "Mỗi cán bộ, công chức đăng ký ít nhất một việc làm cụ thể để giúp đỡ hộ nghèo trong năm {year}.",
    "Công đoàn cơ sở phối hợp với Chi đoàn tổ chức chương trình “Bữa cơm yêu thương” tại bếp ăn tình thương.",
    "Hơn {n} suất cơm nóng đã được trao cho bệnh nhân nghèo và người nhà đang điều trị tại bệnh viện.",
    "Đến cuối năm {year}, tỷ lệ hộ nghèo của xã Đức Minh giảm còn {rate}%, vượt chỉ tiêu đề ra.",
    "Công tác tuyên truyền được đẩy mạnh qua trang thông tin điện tử, bảng tin cơ quan và các nhóm Zalo nội bộ.",
    "Việc vận động đóng góp bảo đảm nguyên tắc tự nguyện, công khai, minh bạch, đúng mục đích.",
    "Danh sách các hộ được hỗ trợ do Ủy ban nhân dân xã rà soát, bình xét công khai tại các thôn, bon.",
    "Bên cạnh việc tặng quà, đoàn còn trao đổi, hướng dẫn bà con cách tiếp cận các chính sách hỗ trợ sinh kế.",
    "{n} hộ được hỗ trợ con giống, cây giống và hướng dẫn kỹ thuật chăm sóc để phát triển kinh tế gia đình.",
    "Nhiều học sinh nghèo vượt khó được trao học bổng, mỗi suất trị giá {money} đồng.",
    "Chi đoàn Thanh tra tỉnh ra quân dọn vệ sinh, sửa chữa nhà văn hóa bon Jun Júh trong ngày thứ Bảy tình nguyện.",
    "Hội nghị sơ kết đánh giá những kết quả đạt được, chỉ ra hạn chế và đề ra giải pháp cho giai đoạn tiếp theo.",
    "Cơ quan đã hỗ trợ xây dựng {n} căn nhà đại đoàn kết cho hộ nghèo có hoàn cảnh đặc biệt khó khăn.",
    "Các phòng, đơn vị duy trì lịch trực bếp ăn tình thương định kỳ mỗi tháng một lần, luân phiên giữa các phòng.",
    "Số liệu trong bài là số liệu minh họa, dùng để thử nghiệm trang thông tin.",
    "Ủy ban nhân dân xã Đức Minh đánh giá cao sự đồng hành thường xuyên của Thanh tra tỉnh với địa phương.",
    "Thông qua phong trào, tinh thần tương thân tương ái, “lá lành đùm lá rách” tiếp tục được lan tỏa.",
    "Tại buổi làm việc, hai bên thống nhất các nội dung phối hợp hỗ trợ xã hoàn thành tiêu chí nông thôn mới.",
    "Nhiều hộ dân tự nguyện hiến đất, góp ngày công làm đường giao thông nông thôn.",
    "Đoàn đã tặng {n} thẻ bảo hiểm y tế cho người cao tuổi và trẻ em thuộc hộ cận nghèo.",
    "Giếng nước sạch được khoan mới giúp hơn {n} hộ dân trong bon có nước sinh hoạt trong mùa khô.",
    "Các lớp dạy nghề ngắn hạn về chăn nuôi, trồng cà phê và hồ tiêu thu hút đông đảo bà con tham gia.",
    "Kết quả thực hiện phong trào được cập nhật định kỳ trên trang thông tin để cán bộ, công chức cùng theo dõi.",
    "Một công chức Phòng Nghiệp vụ chia sẻ rằng mỗi chuyến đi về bon là một lần được học thêm về sự kiên trì.",
    "Ban Chấp hành Công đoàn cơ sở đề nghị khen thưởng các tập thể, cá nhân có thành tích tiêu biểu.",
    "Chương trình Trung thu cho thiếu nhi bon Jun Júh có {n} phần quà, đèn lồng và bánh kẹo.",
    "Trong năm {year}, cơ quan tổ chức {n2} đợt thăm hỏi, tặng quà tại địa bàn kết nghĩa.",
    "Mọi khoản đóng góp đều được ghi chép đầy đủ, có chứng từ và được thông báo công khai sau mỗi đợt.",
    "Già làng, người có uy tín trong bon tích cực vận động con cháu giữ gìn vệ sinh môi trường.",
    "Xã đã huy động nhiều nguồn lực xã hội hóa để sửa chữa phòng học, xây nhà vệ sinh cho điểm trường.",
    "Nhờ được hỗ trợ vốn và kỹ thuật, nhiều hộ đã có thu nhập ổn định từ mô hình nuôi bò sinh sản.",
    "Thanh tra tỉnh ban hành kế hoạch thực hiện phong trào, phân công cụ thể cho từng phòng, đơn vị.",
    "Đây là hoạt động thiết thực chào mừng {occasion}, thể hiện trách nhiệm của cơ quan với cộng đồng.",
    "Các đoàn viên thanh niên hướng dẫn bà con cài đặt, sử dụng ứng dụng dịch vụ công trên điện thoại.",
    "Qua rà soát, xã còn {n} hộ nghèo, chủ yếu là hộ không có đất sản xuất hoặc thiếu lao động.",
    "Cơ quan phối hợp với Hội Phụ nữ xã tổ chức tập huấn kỹ năng quản lý chi tiêu gia đình cho các hộ nghèo.",
    "Những con số tuy nhỏ nhưng cho thấy sự chuyển biến rõ nét trong nhận thức của cán bộ, công chức.",
    "Phong trào góp phần cùng tỉnh thực hiện mục tiêu giảm nghèo bền vững giai đoạn 2021–2025.",
    "Ngay sau buổi phát động, các phòng, đơn vị đã đăng ký ủng hộ với tinh thần tự nguyện cao.",
    "Tiếp nối kết quả đạt được, cơ quan tiếp tục đồng hành cùng xã Đức Minh trong những năm tiếp theo.",
)

HEADINGS = (
    "Kết quả nổi bật", "Những việc làm cụ thể", "Tấm lòng của cán bộ, công chức", "Đồng hành cùng địa phương",
    "Chia sẻ của người trong cuộc", "Nhiệm vụ thời gian tới", "Cách làm hay", "Bối cảnh", "Nguồn lực huy động",
    "Hỗ trợ sinh kế", "Công khai, minh bạch", "Những con số", "Lan tỏa tinh thần tương thân tương ái",
    "Tại bon Jun Júh", "Về với xã Đức Minh", "Đánh giá chung",
)
SUBHEADINGS = (
    "Ở cơ quan", "Ở địa phương", "Tại các thôn, bon", "Những khó khăn", "Kinh nghiệm rút ra", "Đề xuất",
)
LIST_ITEMS = (
    "{n} suất quà cho hộ nghèo, hộ cận nghèo;", "Hỗ trợ {gift} cho các hộ khó khăn;",
    "Tặng học bổng cho học sinh nghèo vượt khó;", "Ủng hộ Quỹ “{fund}”;", "Sửa chữa nhà văn hóa bon Jun Júh;",
    "Trao thẻ bảo hiểm y tế cho người cao tuổi;", "Khoan giếng nước sạch cho các hộ trong bon;",
    "Tập huấn kỹ thuật chăn nuôi, trồng trọt;", "Trực bếp ăn tình thương hằng tháng;",
    "Tuyên truyền chính sách giảm nghèo đến từng hộ;", "Hỗ trợ ngày công làm đường giao thông nông thôn;",
    "Tặng {n} chiếc chăn ấm cho người già neo đơn;",
)
STEPS = (
    "Rà soát, lập danh sách các hộ cần hỗ trợ;", "Thống nhất với Ủy ban nhân dân xã về thời gian, địa điểm;",
    "Vận động cán bộ, công chức đóng góp tự nguyện;", "Chuẩn bị quà và phương tiện;",
    "Tổ chức trao quà, thăm hỏi tại từng hộ;", "Công khai kết quả đóng góp trong cơ quan;",
    "Báo cáo kết quả với Ban Thi đua – Khen thưởng;",
)
TABLE_ROWS = (
    "Suất quà đã trao", "Hộ được thăm hỏi", "Cán bộ tham gia", "Học bổng", "Thẻ bảo hiểm y tế", "Ngày công lao động",
    "Suất cơm tình thương", "Cây giống hỗ trợ",
)
TITLES = {
    "tin-hoat-dong": (
        "Thăm, tặng quà hộ nghèo {place} dịp {occasion}", "Ủng hộ Quỹ “{fund}” năm {year}",
        "Chi đoàn Thanh tra tỉnh tình nguyện tại {place}", "Làm việc với xã Đức Minh về nông thôn mới năm {year}",
        "Công đoàn cơ quan trực bếp ăn tình thương tháng {month}/{year}", "Trao học bổng cho học sinh nghèo {place}",
        "Hỗ trợ sinh kế cho hộ nghèo {place}", "Hội nghị sơ kết phong trào vì người nghèo năm {year}",
    ),
    "tuyen-truyen": (
        "Tìm hiểu phong trào “Vì người nghèo – Không để ai bị bỏ lại phía sau” (phần {n})",
        "Hỏi đáp về chính sách giảm nghèo bền vững năm {year}", "Cán bộ, công chức với Quỹ “{fund}”",
        "Chỉ tiêu giảm nghèo của tỉnh đến năm 2025: những điều cần biết",
        "Tuyên truyền tiêu chí nông thôn mới đến bà con {place}", "Vì sao “không để ai bị bỏ lại phía sau”?",
        "Hướng dẫn vận động ủng hộ Quỹ “{fund}” năm {year}", "Mười việc làm vì người nghèo của mỗi công chức",
    ),
}
PROFILE_KINDS = ("Cá nhân", "Tập thể", "Sáng kiến", "Cách làm hay")
PROFILE_NAMES = {
    "Cá nhân": ("Chị {letter}.", "Anh {letter}.", "Ông {letter}.", "Bà {letter}."),
    "Tập thể": ("Tổ thiện nguyện {unit}", "Nhóm trực bếp {unit}", "Tập thể {unit}"),
    "Sáng kiến": ("Sáng kiến “Ống tiết kiệm vì người nghèo” của {unit}", "Sáng kiến “Sổ vàng nghĩa tình” của {unit}"),
    "Cách làm hay": ("Cách làm “Mỗi phòng một hộ” của {unit}", "Cách làm “Ngày công vì bon” của {unit}"),
}
PROFILE_TAGLINES = (
    "gắn bó với bon Jun Júh", "người giữ lửa Quỹ “{fund}”", "xung kích vì người nghèo", "đồng hành cùng xã Đức Minh",
    "lặng lẽ sẻ chia với hộ nghèo {place}", "những cuốn sổ minh bạch", "mỗi tháng một ngày công vì bon",
    "từ ống tiết kiệm đến mái nhà đại đoàn kết", "nhịp cầu giữa cơ quan và {place}",
)
LETTERS = "BCDGHKLMNPQSTVX"
DOC_KINDS = (
    ("KH-UBND", "Kế hoạch", "Ủy ban nhân dân tỉnh Đắk Nông", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Tỉnh"),
    ("QĐ-UBND", "Quyết định", "Ủy ban nhân dân tỉnh Đắk Nông", "Chủ tịch Ủy ban nhân dân tỉnh", "Tỉnh"),
    ("KH-TTr", "Kế hoạch", "Thanh tra tỉnh", "Chánh Thanh tra tỉnh", "Cơ quan"),
    ("HD-TTr", "Hướng dẫn", "Thanh tra tỉnh", "Phó Chánh Thanh tra tỉnh", "Cơ quan"),
    ("TB-TTr", "Thông báo", "Thanh tra tỉnh", "Chánh Văn phòng Thanh tra tỉnh", "Cơ quan"),
    ("BC-TTr", "Báo cáo", "Thanh tra tỉnh", "Chánh Thanh tra tỉnh", "Cơ quan"),
)
DOC_SUBJECTS = (
    "thực hiện phong trào thi đua “Vì người nghèo – Không để ai bị bỏ lại phía sau” năm {year}",
    "vận động ủng hộ Quỹ “{fund}” năm {year}", "thăm hỏi, tặng quà hộ nghèo dịp {occasion} năm {year}",
    "hỗ trợ xã Đức Minh xây dựng nông thôn mới năm {year}", "sơ kết phong trào vì người nghèo năm {year}",
)
START = datetime(2021, 1, 4, 7, 30)
END = datetime(2025, 12, 20, 17, 0)


@dataclass(frozen=True)
class CorpusInfo:
    """What make_corpus made and which files each edit scenario touches (paths inside `root`)."""

    root: Path
    seed: int
    posts: int  # all generated content items: news, propaganda, profiles and documents
    news: int
    propaganda: int
    profiles: int
    documents: int
    standalone_pages: int
    words: int  # body words over all generated items
    tags: int
    edit_body: Path  # a post whose body gets one more sentence
    edit_title: Path  # a post whose title changes
    template: Path  # templates/post.html
    static_file: Path  # templates/static/css/site.css
    config: Path  # site_data.yaml

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form, paths relative to the project root."""
        result: dict[str, object] = {}
        for key, value in self.__dict__.items():
            if isinstance(value, Path):
                result[key] = "." if value == self.root else value.relative_to(self.root).as_posix()
            else:
                result[key] = value
        return result


@dataclass(frozen=True)
class _Item:
    section: str
    file: str
    title: str
    date: datetime
    tags: tuple[str, ...]


def slugify(text: str) -> str:
    """ASCII file name of a Vietnamese title: "Thăm bon Jun Júh" → "tham-bon-jun-juh"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in text).split()
    return "-".join(words)


def _fill(rng: random.Random, template: str) -> str:
    """A sentence template with its placeholders filled in."""
    gift, gift2 = rng.sample(GIFTS, 2)
    values = {
        "role": rng.choice(ROLES), "place": rng.choice(PLACES), "gift": gift, "gift2": gift2,
        "money": f"{rng.randrange(2, 60) * 500_000:,}".replace(",", "."), "n": rng.randrange(5, 120),
        "n2": rng.randrange(2, 9), "fund": rng.choice(FUNDS), "year": rng.randrange(2021, 2026),
        "rate": f"{rng.randrange(15, 90) / 10:.1f}".replace(".", ","), "occasion": rng.choice(OCCASIONS),
        "unit": rng.choice(UNITS), "month": rng.randrange(1, 13), "letter": rng.choice(LETTERS),
    }
    return template.format(**values)


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_fill(rng, s) for s in rng.sample(SENTENCES, sentences))


def _link(item: _Item, source_section: str) -> str:
    prefix = "" if item.section == source_section else f"../{item.section}/"
    return f"[{item.title}]({prefix}{item.file})"


def _body(rng: random.Random, section: str, links: list[_Item]) -> str:
    """400–800 words: headings, paragraphs, a bullet list, a numbered list, a table and the links."""
    target = rng.randrange(430, 760)
    headings = rng.sample(HEADINGS, 5)
    blocks: list[str] = ["*Bài viết minh họa: nhân vật, đơn vị và số liệu trong bài là giả định.*"]
    blocks += [f"## {headings[0]}", _paragraph(rng, rng.randrange(3, 6))]
    bullets = rng.sample(LIST_ITEMS, rng.randrange(3, 6))
    blocks += ["Những việc đã làm:", "\n".join(f"- {_fill(rng, item)}" for item in bullets)]
    blocks += [f"## {headings[1]}", _paragraph(rng, rng.randrange(3, 5)), f"### {rng.choice(SUBHEADINGS)}",
               _paragraph(rng, rng.randrange(2, 4))]
    steps = rng.sample(STEPS, rng.randrange(3, 5))
    blocks += ["Các bước thực hiện:", "\n".join(f"{n}. {step}" for n, step in enumerate(steps, 1))]
    rows = rng.sample(TABLE_ROWS, rng.randrange(3, 6))
    table = ["| Nội dung | Số lượng | Ghi chú |", "|---|--:|---|"]
    notes = ("Minh họa", "Đã hoàn thành", "Đang thực hiện", "Năm {year}")
    table += [f"| {row} | {rng.randrange(5, 400)} | {_fill(rng, rng.choice(notes))} |" for row in rows]
    blocks += [f"## {headings[2]}", _paragraph(rng, 2), "\n".join(table)]
    see_also = ", ".join(_link(item, section) for item in links)
    blocks += [f"Xem thêm: {see_also}."]
    extra = 3
    while _words(" ".join(blocks)) < target:
        if extra < len(headings) and rng.random() < 0.3:
            blocks.append(f"## {headings[extra]}")
            extra += 1
        blocks.append(_paragraph(rng, rng.randrange(2, 5)))
    while _words(" ".join(blocks)) > 800 or blocks[-1].startswith("#"):
        blocks.pop()
    return "\n\n".join(blocks) + "\n"


def _words(text: str) -> int:
    """Words as a reader counts them: tokens with a letter or digit (not "|", "-", "##")."""
    return sum(1 for token in text.split() if any(c.isalnum() for c in token))


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _tags(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_quote(t) for t in values) + "]"


def _date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def _plan(rng: random.Random, posts: int) -> tuple[list[_Item], list[_Item], list[_Item]]:
    """File names, titles, dates and tags of every item, so bodies can link to any of them."""
    profiles = max(1, round(posts * 0.02))
    documents = max(1, round(posts * 0.02))
    ordinary = max(2, posts - profiles - documents)
    span = int((END - START).total_seconds() // 60)
    news: list[_Item] = []
    for number in range(ordinary):
        section = POST_SECTIONS[0] if number % 5 in (0, 3) else POST_SECTIONS[1]
        title = _fill(rng, rng.choice(TITLES[section]))
        file = f"{slugify(title)[:60].rstrip('-')}-{number:05d}.md"
        date = START + timedelta(minutes=rng.randrange(span) // 5 * 5)
        news.append(_Item(section, file, title, date, tuple(rng.sample(TAGS, rng.randrange(2, 5)))))
    people: list[_Item] = []
    for number in range(profiles):
        kind = PROFILE_KINDS[number % len(PROFILE_KINDS)]
        name = _fill(rng, rng.choice(PROFILE_NAMES[kind]))
        title = f"{name}: {_fill(rng, rng.choice(PROFILE_TAGLINES))}"
        file = f"{slugify(name)[:50].rstrip('-')}-{number:04d}.md"
        date = START + timedelta(minutes=rng.randrange(span) // 5 * 5)
        people.append(_Item(PROFILE_SECTION, file, title, date, tuple(rng.sample(TAGS, rng.randrange(2, 5)))))
    docs: list[_Item] = []
    for number in range(documents):
        notation, doc_type = DOC_KINDS[number % len(DOC_KINDS)][:2]
        title = _fill(rng, rng.choice(DOC_SUBJECTS))
        title = title[0].upper() + title[1:]
        file = f"{slugify(doc_type)}-{number + 11}-{slugify(notation)}.md"
        date = START + timedelta(days=rng.randrange((END - START).days))
        docs.append(_Item(DOCUMENT_SECTION, file, title, date, tuple(rng.sample(TAGS, 2))))
    return news, people, docs


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))


def make_corpus(root: Path, posts: int, seed: int = 1, source: Path = REPO) -> CorpusInfo:
    """Write a complete project of `posts` content items into `root` (which must not exist or be empty).

    templates/ and site_data.yaml come from the project `source`: the one whose generator is measured, so
    templates and engine match while the engine is being rewritten.
    """
    if posts < 4:
        raise ValueError("posts must be at least 4")
    root.mkdir(parents=True, exist_ok=True)
    if any(root.iterdir()):
        raise FileExistsError(f"{root} is not empty")
    shutil.copytree(source / "templates", root / "templates", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(source / "site_data.yaml", root / "site_data.yaml")
    rng = random.Random(seed)
    news, people, docs = _plan(rng, posts)
    everything = news + people
    numbers: list[str] = []
    words = 0
    for number, item in enumerate(docs):
        notation, doc_type, issuer, signer, level = DOC_KINDS[number % len(DOC_KINDS)]
        doc_number = f"{number + 11}/{notation}"
        numbers.append(doc_number)
        body = _body(rng, item.section, rng.sample(everything, rng.randrange(1, 3)))
        words += _words(body)
        front = (f"title: {_quote(item.title)}\ndoc_type: {_quote(doc_type)}\nnumber: {_quote(doc_number)}\n"
                 f"issued: {item.date:%Y-%m-%d}\nissuer: {_quote(issuer)}\nsigner: {_quote(signer)}\n"
                 f"level: {_quote(level)}\ntags: {_tags(item.tags)}\n"
                 f"summary: {_quote(doc_type + ' ' + item.title[0].lower() + item.title[1:] + '.')}\n")
        _write(root / "content" / item.section / item.file, f"---\n{front}---\n\n{body}")
    for number, item in enumerate(news):
        targets = [t for t in rng.sample(everything, 4) if t is not item][: rng.randrange(1, 4)]
        body = _body(rng, item.section, targets)
        words += _words(body)
        front = (f"title: {_quote(item.title)}\ndate: {_date(item.date)}\n"
                 f"summary: {_quote(_fill(rng, rng.choice(SENTENCES)))}\ntags: {_tags(item.tags)}\n"
                 f"unit: {_quote(rng.choice(UNITS))}\nauthor: \"Ban biên tập\"\n")
        if number % 10 == 7:
            front += f"documents: [{_quote(rng.choice(numbers))}]\n"
        if number % 97 == 5:
            front += "featured: true\n"
        _write(root / "content" / item.section / item.file, f"---\n{front}---\n\n{body}")
    for number, item in enumerate(people):
        kind = PROFILE_KINDS[number % len(PROFILE_KINDS)]
        name = item.title.split(":", 1)[0]
        targets = [t for t in rng.sample(everything, 3) if t is not item][: rng.randrange(1, 3)]
        body = _body(rng, item.section, targets)
        words += _words(body)
        front = (f"title: {_quote(item.title)}\ndate: {_date(item.date)}\n"
                 f"summary: {_quote(_fill(rng, rng.choice(SENTENCES)))}\ntags: {_tags(item.tags)}\n"
                 f"unit: {_quote(rng.choice(UNITS))}\nname: {_quote(name)}\nkind: {_quote(kind)}\n"
                 f"place: {_quote(rng.choice(PLACES))}\nyear: {item.date.year}\n"
                 f"achievement: {_quote(_fill(rng, rng.choice(SENTENCES)))}\n")
        _write(root / "content" / item.section / item.file, f"---\n{front}---\n\n{body}")
    for name, title in (("gioi-thieu", "Giới thiệu phong trào"), ("lien-he", "Liên hệ")):
        body = _body(rng, PAGES_FOLDER, rng.sample(news, 1))
        _write(root / "content" / PAGES_FOLDER / f"{name}.md",
               f"---\ntitle: {_quote(title)}\ndate: 2022-07-30 08:00\n---\n\n{body}")
    middle = sorted((i for i in news if i.section == "tin-hoat-dong"), key=lambda i: i.date)
    body_post = middle[len(middle) // 2]
    title_post = middle[len(middle) // 3]
    used_tags = {t for item in news + people + docs for t in item.tags}
    return CorpusInfo(
        root=root, seed=seed, posts=len(news) + len(people) + len(docs),
        news=sum(1 for i in news if i.section == "tin-hoat-dong"),
        propaganda=sum(1 for i in news if i.section == "tuyen-truyen"), profiles=len(people), documents=len(docs),
        standalone_pages=2, words=words, tags=len(used_tags),
        edit_body=root / "content" / body_post.section / body_post.file,
        edit_title=root / "content" / title_post.section / title_post.file,
        template=root / "templates" / "post.html", static_file=root / "templates" / "static" / "css" / "site.css",
        config=root / "site_data.yaml")


def main() -> None:
    """`python benchmarks/corpus.py DIR [POSTS] [SEED]`: write a corpus for a manual look."""
    import sys

    args = sys.argv[1:]
    if not args:
        raise SystemExit("usage: python benchmarks/corpus.py DIR [POSTS] [SEED]")
    info = make_corpus(Path(args[0]), int(args[1]) if len(args) > 1 else 200, int(args[2]) if len(args) > 2 else 1)
    print(info.as_dict())


if __name__ == "__main__":
    main()
