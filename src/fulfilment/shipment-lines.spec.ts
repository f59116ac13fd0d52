import { planShipmentLines } from './shipment-lines';

describe('planShipmentLines', () => {
  const youzanLines = [
    { lineId: '101', quantity: 2 },
    { lineId: '102', quantity: 1 },
  ];

  it('treats no lines, or every unit of every line, as the whole order', () => {
    expect(planShipmentLines('youzan', youzanLines, undefined)).toEqual({ ok: true, lines: null });
    expect(
      planShipmentLines('youzan', youzanLines, [
        { lineId: '102', quantity: 1 },
        { lineId: '101', quantity: 2 },
      ]),
    ).toEqual({ ok: true, lines: null });
    expect(planShipmentLines('kuaishou', [{ lineId: '9', quantity: 3 }], [{ lineId: '9', quantity: 3 }])).toEqual({
      ok: true,
      lines: null,
    });
  });

  it('keeps a partial shipment: Youzan whole lines, Kuaishou units of its one line', () => {
    expect(planShipmentLines('youzan', youzanLines, [{ lineId: '101', quantity: 2 }])).toEqual({
      ok: true,
      lines: [{ lineId: '101', quantity: 2 }],
    });
    expect(planShipmentLines('kuaishou', [{ lineId: '9', quantity: 3 }], [{ lineId: '9', quantity: 1 }])).toEqual({
      ok: true,
      lines: [{ lineId: '9', quantity: 1 }],
    });
  });

  it('refuses unknown, repeated, oversized and (Youzan) split lines with the field at fault', () => {
    expect(planShipmentLines('youzan', youzanLines, [{ lineId: '999', quantity: 1 }])).toMatchObject({
      ok: false,
      field: 'lines.0.lineId',
    });
    expect(
      planShipmentLines('youzan', youzanLines, [
        { lineId: '102', quantity: 1 },
        { lineId: '102', quantity: 1 },
      ]),
    ).toMatchObject({ ok: false, field: 'lines.1.lineId' });
    expect(planShipmentLines('kuaishou', [{ lineId: '9', quantity: 3 }], [{ lineId: '9', quantity: 4 }])).toMatchObject(
      {
        ok: false,
        field: 'lines.0.quantity',
      },
    );
    expect(planShipmentLines('youzan', youzanLines, [{ lineId: '101', quantity: 1 }])).toMatchObject({
      ok: false,
      field: 'lines.0.quantity',
      message: expect.stringContaining('whole lines'),
    });
  });
});
