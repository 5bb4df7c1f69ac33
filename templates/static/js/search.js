// Site search without a server: reads the shards of the typed words (no tones needed: "ngheo"
// finds "nghèo", "dak nong" finds "Đắk Nông", "hlan" finds H'Lan), ranks exact accented matches,
// title matches and phrases first, then loads the small files of the first results for excerpts.
// All shard requests of a query go out together; a request that failed is tried again next time.
(() => {
  "use strict";
  const root = document.querySelector("[data-search]");
  const text = window.SiteText;
  if (!root || !text) return;
  const form = root.querySelector("form");
  const input = form.elements.q;
  const status = root.querySelector("[data-search-status]");
  const list = root.querySelector("[data-search-results]");
  const base = root.dataset.index;
  const siteRoot = root.dataset.root;
  const SHOWN = 20;
  const EXCERPT = 220;  // characters around the first match
  const TITLE_WEIGHT = 5;
  const PHRASE_BONUS = 20;
  const cache = new Map();
  let manifest = null;
  let latest = 0;

  // A failed request is not remembered: the next query asks again.
  const load = (path, options) => fetch(base + path, options)
    .then((r) => { if (!r.ok) throw new Error(String(r.status)); return r.json(); });
  const cached = (path) => {
    if (!cache.has(path)) {
      // Every file but the manifest carries the build's version, so a phone never mixes two builds.
      const request = load(path + "?v=" + manifest.version).catch((error) => { cache.delete(path); throw error; });
      cache.set(path, request);
    }
    return cache.get(path);
  };
  const getManifest = async () => {
    if (!manifest) manifest = await load("chi-muc.json", { cache: "no-cache" });
    return manifest;
  };
  const shardName = (folded) => {
    let name = folded.slice(0, manifest.prefix);
    if (["con", "prn", "aux", "nul"].includes(name)) name += "-";  // as the index names them (Windows)
    return manifest.shards.includes(name) ? name : null;
  };

  // Query words: each compound whole ("h'lan" → "hlan"), with its exact form for ranking.
  const queryTokens = (query) => text.compounds(query)
    .map((word) => ({ folded: text.fold(word), exact: text.toneKey(word) }))
    .filter((token) => token.folded);

  async function rank(tokens) {
    await getManifest();
    const names = [...new Set(tokens.map((t) => shardName(t.folded)).filter(Boolean))];
    const loaded = await Promise.all(names.map((name) => cached("chi-muc/" + name + ".json")));
    const shards = new Map(names.map((name, i) => [name, loaded[i]]));
    const shardOf = (token) => shards.get(shardName(token.folded));
    let scores = null;
    tokens.forEach((token, index) => {
      const data = shardOf(token);
      const found = new Map();
      const isLast = index === tokens.length - 1;
      const keys = data ? Object.keys(data.t).filter((k) => k === token.folded
        || (isLast && token.folded.length >= 3 && k.startsWith(token.folded))) : [];
      for (const key of keys) {
        for (const [form, postings] of Object.entries(data.t[key])) {
          // An exact match (tones included) outweighs any number of folded ones in the same place.
          const weight = (form === token.exact ? 10 : 1) * (key === token.folded ? 1 : 0.5);
          for (let i = 0; i < postings.length; i += 3) {  // flat: id, count in title, count in body, …
            const [doc, title, body] = [postings[i], postings[i + 1], postings[i + 2]];
            found.set(doc, (found.get(doc) || 0) + weight * (title * TITLE_WEIGHT + Math.min(body, 5)));
          }
        }
      }
      if (scores === null) { scores = found; return; }
      for (const doc of Array.from(scores.keys())) {
        if (found.has(doc)) scores.set(doc, scores.get(doc) + found.get(doc));
        else scores.delete(doc);
      }
    });
    for (let i = 0; i + 1 < tokens.length; i += 1) {
      const data = shardOf(tokens[i]);
      const postings = (data && data.p[tokens[i].folded + " " + tokens[i + 1].folded]) || [];
      for (let k = 0; k < postings.length; k += 2) {  // flat: id, count, …
        const doc = postings[k];
        if (scores.has(doc)) scores.set(doc, scores.get(doc) + PHRASE_BONUS * postings[k + 1]);
      }
    }
    // Ties: newer first (a page's id starts with its date).
    return Array.from(scores.entries()).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
  }

  const isWordChar = (c) => /[\p{L}\p{N}]/u.test(c);
  const foldedChars = new Map();
  const foldChar = (c) => {
    if (!foldedChars.has(c)) foldedChars.set(c, text.fold(c));
    return foldedChars.get(c);
  };

  // The text with the query's words marked; with `around`, only a window of that many characters
  // around the first match, cut between words, never inside one. Titles are shown whole.
  function highlighted(source, tokens, around) {
    const chars = Array.from(source);
    const folded = chars.map(foldChar);
    const joined = folded.join("");
    const owner = [];  // owner[i]: the character of `chars` that the i-th unit of `joined` comes from
    folded.forEach((piece, index) => { for (let k = 0; k < piece.length; k += 1) owner.push(index); });
    const marks = new Array(chars.length).fill(false);
    let first = -1;
    for (const token of tokens) {
      for (let at = joined.indexOf(token.folded); at >= 0; at = joined.indexOf(token.folded, at + 1)) {
        if (at > 0 && isWordChar(joined[at - 1])) continue;  // only at the start of a word
        const last = owner[at + token.folded.length - 1];
        for (let i = owner[at]; i <= last; i += 1) marks[i] = true;
        if (first < 0 || owner[at] < first) first = owner[at];
      }
    }
    let start = 0;
    let end = chars.length;
    if (around && chars.length > around) {
      start = Math.max(0, (first < 0 ? 0 : first) - 60);
      while (start > 0 && isWordChar(chars[start - 1])) start -= 1;  // back to the start of that word
      end = Math.min(chars.length, start + around);
      while (end < chars.length && end > start && isWordChar(chars[end])) end -= 1;  // back to a word's end
      while (end > start && !isWordChar(chars[end - 1])) end -= 1;
    }
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

  function result(doc, tokens) {
    const item = document.createElement("li");
    item.className = "search-result";
    const heading = document.createElement("h2");
    heading.className = "search-result__title";
    const link = document.createElement("a");
    link.href = siteRoot + doc.u;
    link.append(highlighted(doc.t, tokens, 0));
    heading.append(link);
    const meta = document.createElement("p");
    meta.className = "search-result__meta";
    meta.textContent = [doc.s, doc.d].filter(Boolean).join(" · ");
    const excerpt = document.createElement("p");
    excerpt.className = "search-result__excerpt";
    excerpt.append(highlighted(doc.x, tokens, EXCERPT));
    item.append(heading, meta, excerpt);
    return item;
  }

  async function search(query) {
    const ticket = ++latest;
    const tokens = queryTokens(query);
    if (!tokens.length) { list.replaceChildren(); status.textContent = "Nhập từ khóa để tìm."; return; }
    status.textContent = "Đang tìm…";
    let hits;
    let docs;
    try {
      hits = await rank(tokens);
      docs = await Promise.all(hits.slice(0, SHOWN).map(([doc]) => cached("bai/" + doc + ".json")));
    } catch {
      if (ticket !== latest) return;
      list.replaceChildren();
      status.textContent = "Không tải được dữ liệu tìm kiếm (mất kết nối, hoặc trang đang được mở trực tiếp từ tệp "
        + "trên máy thay vì qua máy chủ web). Hãy thử lại sau.";
      return;
    }
    if (ticket !== latest) return;
    list.replaceChildren(...docs.map((doc) => result(doc, tokens)));
    status.textContent = hits.length
      ? "Tìm thấy " + hits.length + " kết quả cho “" + query + "”" + (hits.length > SHOWN ? ", hiện " + SHOWN + " kết quả đầu." : ".")
      : "Không tìm thấy kết quả nào cho “" + query + "”. Hãy thử từ khóa khác, gõ có dấu hay không dấu đều được.";
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    search(input.value);
  });
  let timer = 0;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(() => search(input.value), 250); });
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; search(initial); }
})();
