import { Response } from 'express';

/**
 * The answer to a stored delivery: 202, or 200 for a duplicate, with the delivery's ids. Written
 * directly, because Express's res.json would also hash the answer for an ETag, which the answer to
 * a POST has no use for, on the hottest path of the plugin.
 */
export function answerDelivery(
  res: Response,
  stored: { id: number; duplicate: boolean },
  deliveryId: string,
) {
  res
    .writeHead(stored.duplicate ? 200 : 202, {
      'Content-Type': 'application/json; charset=utf-8',
    })
    .end(
      JSON.stringify({
        delivery: { id: stored.id, deliveryId, duplicate: stored.duplicate },
      }),
    );
}
