/**
 * A full-width message. `tone="danger"` is an alert (`role="alert"`, announced at once) for things a loan
 * officer must not miss, such as a HIGH fraud alert; other tones are a polite `role="status"`.
 */
export default function Banner({ tone = "info", title, children, className = "", ...rest }) {
  const urgent = tone === "danger";
  return (
    <div className={`banner banner-${tone} ${className}`.trim()} role={urgent ? "alert" : "status"} {...rest}>
      {urgent && <span className="banner-icon" aria-hidden="true">⚠</span>}
      <div>
        {title && <p className="banner-title">{title}</p>}
        {children}
      </div>
    </div>
  );
}
