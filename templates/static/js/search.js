// Site search without a server: reads the shards of the typed words (no tones needed: "ngheo"
// finds "nghèo", "dak nong" finds "Đắk Nông"), ranks exact accented matches and phrases first,
// then loads the small files of the first results for their excerpts.
(() => {
  "use strict";
  const root = document.querySelector("[data-search]");
  if (!root) return;
  const form = root.querySelector("form");
  const input = form.elements.q;
  const status = root.querySelector("[data-search-status]");
  const list = root.querySelector("[data-search-results]");
  const base = root.dataset.index;
  const siteRoot = root.dataset.root;
  const SHOWN = 20;
  const TONES = { "\u0300": "2", "\u0301": "5", "\u0303": "4", "\u0309": "3", "\u0323": "6" };
  const cache = new Map();
  let manifest = null;
  let latest = 0;

  const fold = (text) => text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D").toLowerCase();
  const words = (text) => text.normalize("NFC").toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
  const toneKey = (word) => {
    const parts = Array.from(word.toLowerCase().normalize("NFD"));
    const tone = parts.map((c) => TONES[c]).find(Boolean) || "1";
    return parts.filter((c) => !TONES[c]).join("").normalize("NFC") + tone;
  };
  let failed = false;
  const load = (path, options) => fetch(base + path, options)
    .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
    .catch(() => { failed = true; return null; });
  const json = (path) => {
    // Every file but the manifest carries the build's version, so a phone never mixes two builds.
    if (!cache.has(path)) cache.set(path, load(path + "?v=" + (manifest ? manifest.version : "")));
    return cache.get(path);
  };
  const shard = async (folded) => {
    manifest = manifest || (await load("chi-muc.json", { cache: "no-cache" }));
    if (!manifest) return null;
    let name = folded.slice(0, manifest.prefix);
    if (["con", "prn", "aux", "nul"].includes(name)) name += "-";  // as the index names them (Windows)
    return manifest.shards.includes(name) ? json("chi-muc/" + name + ".json") : null;
  };

  async function rank(query) {
    const tokens = words(query).map((w) => ({ folded: fold(w), exact: toneKey(w) }));
    if (!tokens.length) return { tokens, hits: [] };
    const scores = new Map();
    for (const [index, token] of tokens.entries()) {
      const data = await shard(token.folded);
      const found = new Map();
      const isLast = index === tokens.length - 1;
      const keys = data ? Object.keys(data.t).filter((k) => k === token.folded
        || (isLast && token.folded.length >= 3 && k.startsWith(token.folded))) : [];
      for (const key of keys) {
        for (const [form, postings] of Object.entries(data.t[key])) {
          // An exact match (tones included) outweighs any number of folded ones in the same place.
          const weight = (form === token.exact ? 10 : 1) * (key === token.folded ? 1 : 0.5);
          for (const [doc, title, body] of postings) {
            found.set(doc, (found.get(doc) || 0) + weight * (title * 5 + Math.min(body, 5)));
          }
        }
      }
      for (const doc of Array.from(scores.keys())) if (!found.has(doc)) scores.delete(doc);
      for (const [doc, score] of found) {
        if (index === 0) scores.set(doc, score);
        else if (scores.has(doc)) scores.set(doc, scores.get(doc) + score);
      }
      if (!scores.size) return { tokens, hits: [] };
    }
    for (let i = 0; i + 1 < tokens.length; i += 1) {
      const data = await shard(tokens[i].folded);
      const postings = data && data.p[tokens[i].folded + " " + tokens[i + 1].folded];
      for (const [doc, count] of postings || []) {
        if (scores.has(doc)) scores.set(doc, scores.get(doc) + 20 * count);
      }
    }
    const hits = Array.from(scores.entries()).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    return { tokens, hits };
  }

  function highlighted(text, tokens) {
    // Fold letter by letter so positions in the folded text match the original text.
    const chars = Array.from(text);
    const folded = chars.map((c) => fold(c) || c);
    const joined = folded.join("");
    const owner = [];  // owner[i]: which character of `chars` the i-th UTF-16 unit of `joined` comes from
    folded.forEach((piece, index) => { for (let k = 0; k < piece.length; k += 1) owner.push(index); });
    const marks = new Array(chars.length).fill(false);
    let first = -1;
    for (const token of tokens) {
      let from = 0;
      for (;;) {
        const at = joined.indexOf(token.folded, from);
        if (at < 0) break;
        const before = at === 0 || !/[\p{L}\p{N}]/u.test(joined[at - 1]);
        if (before) {
          for (let i = at; i < at + token.folded.length; i += 1) marks[owner[i]] = true;
          if (first < 0 || owner[at] < first) first = owner[at];
        }
        from = at + 1;
      }
    }
    let start = first < 0 ? 0 : Math.max(0, first - 60);
    while (start > 0 && start < first && /[\p{L}\p{N}]/u.test(chars[start - 1])) start += 1;  // begin on a word
    const end = Math.min(chars.length, start + 220);
    const fragment = document.createDocumentFragment();
    if (start > 0) fragment.append("… ");
    let run = "";
    let marked = false;
    const flush = () => {
      if (!run) return;
      if (marked) { const mark = document.createElement("mark"); mark.textContent = run; fragment.append(mark); }
      else fragment.append(run);
      run = "";
    };
    for (let i = start; i < end; i += 1) {
      if (marks[i] !== marked) { flush(); marked = marks[i]; }
      run += chars[i];
    }
    flush();
    if (end < chars.length) fragment.append(" …");
    return fragment;
  }

  async function search(query) {
    const ticket = ++latest;
    list.replaceChildren();
    if (!words(query).length) { status.textContent = "Nhập từ khóa để tìm."; return; }
    status.textContent = "Đang tìm…";
    const { tokens, hits } = await rank(query);
    if (ticket !== latest) return;
    if (failed && !hits.length) {
      status.textContent = "Không tải được dữ liệu tìm kiếm (mất kết nối, hoặc trang đang được mở trực tiếp từ tệp "
        + "trên máy thay vì qua máy chủ web). Hãy thử lại sau.";
      failed = false;
      return;
    }
    if (!hits.length) {
      status.textContent = "Không tìm thấy kết quả nào cho “" + query + "”. Hãy thử từ khóa khác, gõ có dấu hay không dấu đều được.";
      return;
    }
    const docs = await Promise.all(hits.slice(0, SHOWN).map(([doc]) => json("bai/" + doc + ".json")));
    if (ticket !== latest) return;
    for (const doc of docs) {
      if (!doc) continue;
      const item = document.createElement("li");
      item.className = "search-result";
      const heading = document.createElement("h2");
      heading.className = "search-result__title";
      const link = document.createElement("a");
      link.href = siteRoot + doc.u;
      link.append(highlighted(doc.t, tokens));
      heading.append(link);
      const meta = document.createElement("p");
      meta.className = "search-result__meta";
      meta.textContent = [doc.s, doc.d].filter(Boolean).join(" · ");
      const excerpt = document.createElement("p");
      excerpt.className = "search-result__excerpt";
      excerpt.append(highlighted(doc.x, tokens));
      item.append(heading, meta, excerpt);
      list.append(item);
    }
    status.textContent = "Tìm thấy " + hits.length + " kết quả cho “" + query + "”"
      + (hits.length > SHOWN ? ", hiện " + SHOWN + " kết quả đầu." : ".");
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => search(input.value), 250); });
  root.querySelector("[data-search-noscript]")?.remove();
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
