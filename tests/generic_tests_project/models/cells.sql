-- Printed cells of one small table (county rows and an "I alt" total) in two main groups and all groups.
-- Month 1 is consistent; month 2 has a total one above its parts with nothing suppressed; month 3 has a
-- total that suppressed parts can just reach (3 * 2 = 6 of slack), month 4 one beyond that reach.
select * from (values
    -- month, county, main group, value as printed
    (1, '00', 'alle', '20'), (1, '03', 'alle', '12'), (1, '11', 'alle', '8'),
    (1, '00', 'a', '12'), (1, '03', 'a', '7'), (1, '11', 'a', '5'),
    (1, '00', 'b', '8'), (1, '03', 'b', '5'), (1, '11', 'b', '*'),
    (2, '00', 'alle', '21'), (2, '03', 'alle', '12'), (2, '11', 'alle', '8'),
    (3, '00', 'alle', '18'), (3, '03', 'alle', '12'), (3, '11', 'alle', '*'), (3, '98', 'alle', '*'),
    (4, '00', 'alle', '19'), (4, '03', 'alle', '12'), (4, '11', 'alle', '*'), (4, '98', 'alle', '*'),
    -- a suppressed total: the parts' 0..3 must meet it
    (5, '00', 'alle', '*'), (5, '03', 'alle', '*'),
    (6, '00', 'alle', '*'), (6, '03', 'alle', '4')
) as cells (month_number, county_code, main_group, value_as_printed)
