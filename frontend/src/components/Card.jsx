import { useId } from "react";

/** A titled section of a page: `<section aria-labelledby>` so screen readers list it as a region. */
export default function Card({ title, subtitle, actions, children, className = "", headingLevel = 2, id, ...rest }) {
  const autoId = useId();
  const headingId = `${id || autoId}-title`;
  const Heading = `h${Math.min(Math.max(headingLevel, 2), 6)}`;
  return (
    <section className={`card ${className}`.trim()} aria-labelledby={title ? headingId : undefined} id={id} {...rest}>
      {(title || actions) && (
        <header className="card-header">
          <div>
            {title && <Heading id={headingId} className="card-title">{title}</Heading>}
            {subtitle && <p className="card-subtitle">{subtitle}</p>}
          </div>
          {actions && <div className="card-actions">{actions}</div>}
        </header>
      )}
      <div className="card-body">{children}</div>
    </section>
  );
}
