// Folding for search, shared by search.js and documents.js. It must agree with sitegen/text.py `fold`
// and sitegen/search.py `words`: a test runs one table of cases through both and compares.
//   fold("Đắk R'Lấp") === "dak rlap"; words("Đắk R'Lấp") → ["dak", "rlap", "r", "lap"]
(() => {
  "use strict";
  const D_STROKE = { "đ": "d", "Đ": "D", "ð": "d", "Ð": "D" };
  const DROPPED = /['’‘ʼ`\-\u2010\u2011]/g;
  const SPACES = /[ \t\n\r\f\v\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/g;
  const SEPARATOR = "['’‘ʼ`\\-\\u2010\\u2011]";
  const COMPOUND = new RegExp("[\\p{L}\\p{N}]+(?:" + SEPARATOR + "[\\p{L}\\p{N}]+)*", "gu");
  const PART = /[\p{L}\p{N}]+/gu;
  const TONES = { "\u0300": "2", "\u0301": "5", "\u0303": "4", "\u0309": "3", "\u0323": "6" };

  const fold = (text) => text.normalize("NFC").replace(/[đĐðÐ]/g, (c) => D_STROKE[c]).toLowerCase()
    .normalize("NFD").replace(/\p{M}/gu, "").replace(DROPPED, "").replace(SPACES, " ");

  // A word's letters and its tone, wherever the tone mark sits: "hoà" and "hòa" → "hoa2".
  const toneKey = (word) => {
    const parts = Array.from(word.normalize("NFC").toLowerCase().replace(DROPPED, "").normalize("NFD"));
    const tone = parts.map((c) => TONES[c]).find(Boolean) || "1";
    return parts.filter((c) => !TONES[c]).join("").normalize("NFC") + tone;
  };

  // Search words of a text: each name joined by apostrophes or hyphens once whole ("rlap") and, after
  // them, its parts ("r", "lap"), so "hlan", "h'lan" and "h lan" all find H'Lan.
  const compounds = (text) => text.normalize("NFC").toLowerCase().match(COMPOUND) || [];
  const words = (text) => {
    const result = [];
    for (const compound of compounds(text)) {
      result.push(fold(compound));
      const parts = compound.match(PART);
      if (parts.length > 1) for (const part of parts) result.push(fold(part));
    }
    return result;
  };

  window.SiteText = { fold, toneKey, compounds, words };
})();
