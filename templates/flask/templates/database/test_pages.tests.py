

def test_index_lists_items(client: FlaskClient, db: SQLAlchemy) -> None:
    db.session.add(Item(name="<first> item"))
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "&lt;first&gt; item" in page
