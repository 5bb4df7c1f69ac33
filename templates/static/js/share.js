// Share buttons: the phone's share sheet (navigator.share, which lists Zalo) where there is one,
// and copying the link everywhere else. Without JavaScript the link stays visible to copy by hand.
(() => {
  "use strict";
  const status = document.querySelector("[data-share-status]");
  const say = (text) => { if (status) status.textContent = text; };
  async function copy(url) {
    try {
      await navigator.clipboard.writeText(url);
      return true;
    } catch {
      const field = document.querySelector("[data-share-address]");  // never by id: a post could use that id
      if (!field) return false;
      field.select();
      return document.execCommand && document.execCommand("copy");
    }
  }
  const native = document.querySelector("[data-share-native]");
  if (native) {
    native.hidden = false;
    native.addEventListener("click", async () => {
      if (navigator.share) {
        try { await navigator.share({ title: native.dataset.title, url: native.dataset.url }); } catch { /* closed */ }
        return;
      }
      say((await copy(native.dataset.url))
        ? "Đã sao chép liên kết. Mở Zalo, dán vào cuộc trò chuyện để chia sẻ."
        : "Không sao chép được; hãy chọn liên kết bên dưới và sao chép.");
    });
  }
  const copier = document.querySelector("[data-share-copy]");
  if (copier) {
    copier.hidden = false;
    copier.addEventListener("click", async () => {
      say((await copy(copier.dataset.url)) ? "Đã sao chép liên kết." : "Không sao chép được; hãy chọn liên kết bên dưới và sao chép.");
    });
  }
})();
