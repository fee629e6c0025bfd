// A customer's subscriptions that my organisation bills: where a completed transfer shows its result.

import { ErrorNotice } from '../components/error-notice.tsx';
import { PRODUCT_TYPE_WORDS } from '../format.ts';
import { useSession } from '../session.tsx';
import { useLoad } from '../use-load.ts';

export function SubscriptionsPage(props: { customerId: string }) {
  const { client } = useSession();
  const [data, reload] = useLoad(async () => {
    const [partner, subscriptions] = await Promise.all([
      client.getPartner(),
      client.listSubscriptions(props.customerId).toArray(),
    ]);
    return { partner, subscriptions };
  }, [props.customerId]);
  if (data.state === 'loading') return <p role="status">Loading subscriptions…</p>;
  if (data.state === 'failed') return <ErrorNotice error={data.error} onRetry={reload} />;
  const { partner, subscriptions } = data.data;
  return (
    <section aria-labelledby="subscriptions-title">
      <h1 id="subscriptions-title">Subscriptions you bill for this customer</h1>
      {subscriptions.length === 0 ? (
        <p>{partner.name} bills no subscription of this customer.</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Subscriptions</caption>
            <thead>
              <tr>
                <th scope="col">Subscription</th>
                <th scope="col">Product</th>
                <th scope="col">Quantity</th>
                <th scope="col">Billed by</th>
              </tr>
            </thead>
            <tbody>
              {subscriptions.map((subscription) => (
                <tr key={subscription.id}>
                  <th scope="row">{subscription.friendlyName}</th>
                  <td data-label="Product">
                    {PRODUCT_TYPE_WORDS[subscription.productType] ?? subscription.productType}
                  </td>
                  <td data-label="Quantity">{subscription.quantity}</td>
                  <td data-label="Billed by">
                    {subscription.billingPartnerTenantId === partner.tenantId
                      ? partner.name
                      : subscription.billingPartnerTenantId}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
