/**
 * One signal inside the case file: "this case changed" (an officer recorded a decision), so the decision header
 * above the tabs and the Case File tab reload together without sharing state through the app.
 */
import { useEffect, useState } from "react";

const EVENT = "msme:case-changed";

/** Tell every view of `customerId`'s case that it changed. */
export function notifyCaseChanged(customerId) {
  globalThis.dispatchEvent(new CustomEvent(EVENT, { detail: customerId }));
}

/** A number that grows each time `customerId`'s case changes (use it as a reload key). */
export function useCaseVersion(customerId) {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = (event) => {
      if (event.detail === customerId) setVersion((v) => v + 1);
    };
    globalThis.addEventListener(EVENT, bump);
    return () => globalThis.removeEventListener(EVENT, bump);
  }, [customerId]);
  return version;
}
