// The span picker of the separation page: the chosen mixture's spectrogram, across which the
// user drags to mark where the wanted sound plays. The spans live in the text field "span"
// ("START:END" seconds, comma-separated), which is also the keyboard and no-JavaScript way;
// the highlighted rectangles are drawn from it.
"use strict";

(() => {
  const picker = document.getElementById("span-picker");
  if (!picker) return;
  const form = picker.closest("form");
  const field = document.getElementById("spans");
  const canvas = picker.querySelector("canvas");
  const status = picker.querySelector(".span-status");
  const context = canvas.getContext("2d");
  const MIN_SPAN_SECONDS = 0.05; // shorter drags are clicks, not spans
  let picture = null; // the spectrogram, an ImageBitmap
  let seconds = 0; // the mixture's duration, which the picture's width spans
  let drag = null; // {start, end} seconds while the pointer is down
  let loads = 0; // only the latest spectrogram request may draw

  /** The mixture the form would send: the uploaded file, else the chosen demo recording. */
  function chosenMixture() {
    const data = new FormData();
    const upload = form.querySelector("input[name=audio]");
    const demo = form.querySelector("input[name=demo]:checked");
    if (upload && upload.files.length) data.append("audio", upload.files[0]);
    else if (demo) data.append("demo", demo.value);
    else return null;
    return data;
  }

  /** Ask the server for the chosen mixture's spectrogram and show it. */
  async function loadSpectrogram() {
    const data = chosenMixture();
    const load = ++loads;
    if (!data) return;
    status.textContent = "Loading the spectrogram…";
    try {
      const response = await fetch(picker.dataset.url, { method: "POST", body: data });
      if (!response.ok) {
        const answer = await response.json().catch(() => ({}));
        throw new Error(answer.error || response.statusText);
      }
      const duration = Number(response.headers.get("X-Querysep-Seconds"));
      const bitmap = await createImageBitmap(await response.blob());
      if (load !== loads) return;
      picture = bitmap;
      seconds = duration;
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      picker.hidden = false;
      picker.dataset.seconds = String(seconds);
      draw();
    } catch (error) {
      if (load !== loads) return;
      picture = null; // the typed field still works; the server checks the mixture on submit
      picker.hidden = true;
      delete picker.dataset.seconds;
      console.warn("no spectrogram:", error);
    }
  }

  /** The spans typed in the field, as [start, end] pairs (malformed ones are skipped). */
  function typedSpans() {
    return field.value
      .split(",")
      .map((part) => part.split(":").map((text) => parseFloat(text)))
      .filter((pair) => pair.length === 2 && pair.every(Number.isFinite) && pair[1] > pair[0]);
  }

  /** The spectrogram with the typed spans and the span being dragged highlighted. */
  function draw() {
    if (!picture) return;
    context.drawImage(picture, 0, 0);
    const spans = typedSpans();
    if (drag) spans.push([Math.min(drag.start, drag.end), Math.max(drag.start, drag.end)]);
    for (const [start, end] of spans) {
      const left = (start / seconds) * canvas.width;
      const width = ((end - start) / seconds) * canvas.width;
      context.fillStyle = "rgba(120, 200, 255, 0.35)";
      context.fillRect(left, 0, width, canvas.height);
      context.strokeStyle = "rgba(200, 235, 255, 0.95)";
      context.lineWidth = 2;
      context.strokeRect(left, 1, width, canvas.height - 2);
    }
    status.textContent = describe(spans);
  }

  function describe(spans) {
    if (!spans.length) return `Drag across the ${seconds.toFixed(2)} s spectrogram to mark a span.`;
    const times = spans.map(([start, end]) => `${start.toFixed(2)}–${end.toFixed(2)} s`);
    return `Marked: ${times.join(", ")}.`;
  }

  /** The time under the pointer, in seconds, within the mixture. */
  function timeAt(event) {
    const box = canvas.getBoundingClientRect();
    const fraction = Math.min(Math.max((event.clientX - box.left) / box.width, 0), 1);
    return fraction * seconds;
  }

  function addSpan(start, end) {
    const span = `${start.toFixed(2)}:${end.toFixed(2)}`;
    field.value = field.value.trim() ? `${field.value.trim().replace(/,$/, "")}, ${span}` : span;
  }

  canvas.addEventListener("pointerdown", (event) => {
    if (!picture) return;
    const time = timeAt(event);
    drag = { start: time, end: time };
    canvas.setPointerCapture(event.pointerId);
    event.preventDefault();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (!drag) return;
    drag.end = timeAt(event);
    draw();
  });
  const finishDrag = (event) => {
    if (!drag) return;
    drag.end = timeAt(event);
    const [start, end] = [Math.min(drag.start, drag.end), Math.max(drag.start, drag.end)];
    drag = null;
    if (end - start >= MIN_SPAN_SECONDS) addSpan(start, end);
    draw();
  };
  canvas.addEventListener("pointerup", finishDrag);
  canvas.addEventListener("pointercancel", () => {
    drag = null;
    draw();
  });
  picker.querySelector(".span-clear").addEventListener("click", () => {
    field.value = "";
    draw();
  });
  field.addEventListener("input", draw);
  form.addEventListener("change", ({ target }) => {
    if (target.name === "audio" || target.name === "demo") loadSpectrogram();
  });
  loadSpectrogram();
})();
