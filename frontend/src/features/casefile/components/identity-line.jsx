/** The borrower's registrations on the case: PAN, GSTIN and Udyam number (each `—` when not on record). */
export default function IdentityLine({ identity }) {
  if (!identity) return null;
  const items = [
    { label: "PAN", value: identity.pan },
    { label: "GSTIN", value: identity.gstin },
    { label: "Udyam", value: identity.udyam_number },
  ];
  return (
    <dl className="identity-line" aria-label="Registrations">
      {items.map((item) => (
        <div key={item.label}>
          <dt>{item.label}</dt>
          <dd><code>{item.value || "—"}</code></dd>
        </div>
      ))}
    </dl>
  );
}
