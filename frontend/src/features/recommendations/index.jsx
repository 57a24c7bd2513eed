/**
 * Recommendations: the six lending products as cards, eligible first as ranked, each with its offer or the
 * reasons it is not offered, its conditions, and how it was sized (on demand).
 */
import Card from "../../components/Card.jsx";
import StateView from "../../components/StateView.jsx";
import { isNotComputed, useRecommendations } from "./api.js";
import ProductCard from "./components/product-card.jsx";
import RecsSummary from "./components/recs-summary.jsx";
import { orderProducts } from "./labels.js";
import "./recommendations.css";

export default function RecommendationsPage({ customerId }) {
  const { data, error, loading, reload } = useRecommendations(customerId);
  const notComputed = isNotComputed(error);
  return (
    <StateView
      loading={loading}
      error={notComputed ? null : error}
      onRetry={reload}
      empty={notComputed || (!loading && !error && !data)}
      emptyText="Recommendations have not been computed for this customer yet. Run the pipeline's models step to compute them."
    >
      {() => {
        const products = orderProducts(data);
        return (
          <div className="stack">
            <Card title="Product recommendations">
              <RecsSummary doc={data} />
            </Card>
            {products.length ? (
              <div className="recs-grid">
                {products.map((p, i) => <ProductCard key={p.id || i} product={p} position={i + 1} />)}
              </div>
            ) : (
              <p className="muted">No products in this document.</p>
            )}
          </div>
        );
      }}
    </StateView>
  );
}
