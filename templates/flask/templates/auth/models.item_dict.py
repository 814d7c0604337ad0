            "owner_id": self.owner_id,
