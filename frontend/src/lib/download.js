/** Saving a file the API sent (the credit memo) the way a browser saves a download: through a temporary link. */

/** Offer `blob` to the person as a download named `filename`. */
export function saveFile(blob, filename) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename || "download";
  link.rel = "noopener";
  document.body.appendChild(link);
  link.click();
  link.remove();
  // the browser has taken the file once the click's task ends; free the memory after that
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
